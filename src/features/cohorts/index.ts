/**
 * Cohorts: trainers run classes of learners, enrol them, watch their progress and take the data
 * away. Learners join with a code at /cohorts/join; trainers work under /trainer/cohorts.
 */
import type { RequestHandler } from 'express';
import type { i18n as I18n } from 'i18next';
import type { Mailer } from '../../platform/mailer';
import { createCohortEmails } from './cohorts.emails';
import type { Connection } from 'mongoose';
import { createAttemptLimiter } from '../../platform/attempt-limiter';
import { getUserModel } from '../accounts';
import { auditLogFor } from '../audit';
import { attemptGrantsOn } from '../learning';
import { attemptGrantsController, attemptLimits } from './attempt-grants.controller';
import type { ContentService } from '../content';
import { createCohortReport } from './cohort-report.service';
import { cohortsController } from './cohorts.controller';
import { cohortModels } from './cohorts.models';
import { cohortsRouter } from './cohorts.routes';
import { createCohortsService } from './cohorts.service';
import { monitoringController } from './monitoring.controller';

export { type CohortModels, cohortModels } from './cohorts.models';
export { type CohortsService, createCohortsService } from './cohorts.service';
export { type CohortReport, createCohortReport } from './cohort-report.service';

export { COHORT_ENROL_PATH } from './cohorts.routes';

export function createCohorts(deps: {
  connection: Connection;
  content: ContentService;
  baseUrl: string;
  /** the CSRF check for the multipart enrolment form, run once multer has read it (see platform/security.ts) */
  verifyCsrf: RequestHandler;
  mailer: Mailer;
  i18n: I18n;
  clock?: () => Date;
}) {
  const { connection, content, baseUrl } = deps;
  const clock = deps.clock ?? (() => new Date());
  const models = cohortModels(connection);
  const cohorts = createCohortsService({
    models,
    User: getUserModel(connection),
    limiter: createAttemptLimiter(connection, clock),
    audit: auditLogFor(connection),
    clock,
  });
  const report = createCohortReport({ connection, content, models });
  const grants = attemptGrantsOn(connection, auditLogFor(connection));
  /** The trainers of every cohort the learner belongs to, each once. */
  async function trainersOfLearner(userId: string) {
    const lists = await Promise.all((await cohorts.cohortIdsOf(userId)).map((id) => cohorts.trainersOf(id)));
    return [...new Map(lists.flat().map((t) => [t.id, t])).values()];
  }
  return {
    service: cohorts,
    trainersOfLearner,
    report,
    router: cohortsRouter({
      cohorts,
      verifyCsrf: deps.verifyCsrf,
      manage: cohortsController({ cohorts, baseUrl, clock, emails: createCohortEmails({ mailer: deps.mailer, i18n: deps.i18n, baseUrl }) }),
      monitor: monitoringController({ cohorts, report, baseUrl, clock, attemptLimits: (id, modules, used) => attemptLimits(grants, id, modules, used) }),
      attempts: attemptGrantsController({ cohorts, content, grants }),
    }),
  };
}

/** Indexes of the cohort collections; called by ensureIndexes (autoIndex is off on purpose). */
export async function createCohortIndexes(connection: Connection): Promise<void> {
  for (const model of Object.values(cohortModels(connection))) await model.createIndexes();
}
