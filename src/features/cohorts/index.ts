/**
 * Cohorts: trainers run classes of learners, enrol them, watch their progress and take the data
 * away. Learners join with a code at /cohorts/join; trainers work under /trainer/cohorts.
 */
import type { RequestHandler } from 'express';
import type { Connection } from 'mongoose';
import { createAttemptLimiter } from '../../platform/attempt-limiter';
import { getUserModel } from '../accounts';
import { auditLogFor } from '../audit';
import type { ContentService } from '../content';
import { createCohortReport } from './cohort-report.service';
import { createMembershipService, removeLearnerHandler } from './cohort-membership';
import { cohortsController } from './cohorts.controller';
import { cohortModels } from './cohorts.models';
import { cohortsRouter } from './cohorts.routes';
import { createCohortsService } from './cohorts.service';
import { monitoringController } from './monitoring.controller';

export { type CohortModels, cohortModels } from './cohorts.models';
export { type CohortsService, createCohortsService } from './cohorts.service';
export { type CohortReport, createCohortReport } from './cohort-report.service';

export { COHORT_ENROL_PATH } from './cohorts.routes';
export type { CohortAccess, MembershipService } from './cohort-membership';

export function createCohorts(deps: {
  connection: Connection;
  content: ContentService;
  baseUrl: string;
  /** the CSRF check for the multipart enrolment form, run once multer has read it (see platform/security.ts) */
  verifyCsrf: RequestHandler;
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
  const membership = createMembershipService({ models, audit: auditLogFor(connection), clock });
  return {
    service: cohorts,
    membership,
    report,
    router: cohortsRouter({
      cohorts,
      verifyCsrf: deps.verifyCsrf,
      manage: cohortsController({ cohorts, baseUrl, clock }),
      monitor: monitoringController({ cohorts, report, baseUrl, clock }),
      removeLearner: removeLearnerHandler(membership),
    }),
  };
}

/** Who belongs to which cohort, on its own (the discussion's digest job, outside a request). */
export function membershipFor(connection: Connection) {
  return createMembershipService({ models: cohortModels(connection), audit: auditLogFor(connection) });
}

/** Indexes of the cohort collections; called by ensureIndexes (autoIndex is off on purpose). */
export async function createCohortIndexes(connection: Connection): Promise<void> {
  for (const model of Object.values(cohortModels(connection))) await model.createIndexes();
}
