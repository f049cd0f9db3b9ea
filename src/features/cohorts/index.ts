/**
 * Cohorts: trainers run classes of learners and enrol them; learners join with a code at
 * /cohorts/join; trainers work under /trainer/cohorts. The figures, charts, export and timeline of
 * a cohort are cohort-reports'.
 */
import type { RequestHandler } from 'express';
import type { i18n as I18n } from 'i18next';
import type { Mailer } from '../../platform/mailer';
import { createCohortEmails } from './cohorts.emails';
import type { Connection } from 'mongoose';
import type { AttemptLimiter } from '../../platform/attempt-limiter';
import type { UserModel } from '../accounts';
import { type AuditLog, auditLogFor } from '../audit';
import type { ContentService } from '../content';
import type { AttemptGrants } from '../learning';
import { attemptGrantsController } from './attempt-grants.controller';
import { createMembershipService, removeLearnerHandler } from './cohort-membership';
import { cohortsController } from './cohorts.controller';
import { cohortModels } from './cohorts.model';
import { cohortsRouter } from './cohorts.routes';
import { createCohortsService } from './cohorts.service';

export { type CohortsService, type Cohort, createCohortsService } from './cohorts.service';
export { cohortOf, loadCohort } from './cohort-access';
export { type CohortMember, type CohortMembersReader, cohortMembersOn } from './cohort-members';
export { cohortPath, cohortView, type CohortView, formatDay } from './cohort-view';
export { COHORT_ENROL_PATH } from './cohorts.routes';
export { attemptLimits } from './attempt-grants.controller';
export type { CohortAccess, MembershipService } from './cohort-membership';

export function createCohorts(deps: {
  connection: Connection;
  baseUrl: string;
  /** shared collaborators, built once in createApp */
  User: UserModel;
  audit: AuditLog;
  limiter: AttemptLimiter;
  content: ContentService;
  /** extra quiz attempts, granted from a learner's drill-down (learning's) */
  grants: AttemptGrants;
  /** the CSRF check for the multipart enrolment form, run once multer has read it (see platform/security.ts) */
  verifyCsrf: RequestHandler;
  mailer: Mailer;
  i18n: I18n;
  clock?: () => Date;
}) {
  const { connection, baseUrl } = deps;
  const clock = deps.clock ?? (() => new Date());
  const models = cohortModels(connection);
  const cohorts = createCohortsService({ models, User: deps.User, limiter: deps.limiter, audit: deps.audit, clock });
  const membership = createMembershipService({ models, audit: deps.audit, clock });
  /** The trainers of every cohort the learner belongs to, each once. */
  async function trainersOfLearner(userId: string) {
    const lists = await Promise.all((await cohorts.cohortIdsOf(userId)).map((id) => cohorts.trainersOf(id)));
    return [...new Map(lists.flat().map((t) => [t.id, t])).values()];
  }
  return {
    service: cohorts,
    membership,
    trainersOfLearner,
    router: cohortsRouter({
      cohorts,
      verifyCsrf: deps.verifyCsrf,
      manage: cohortsController({ cohorts, baseUrl, clock, emails: createCohortEmails({ mailer: deps.mailer, i18n: deps.i18n, baseUrl }) }),
      attempts: attemptGrantsController({ cohorts, content: deps.content, grants: deps.grants }),
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
