/**
 * Cohorts: trainers run classes of learners and enrol them; learners join with a code at
 * /cohorts/join; trainers work under /trainer/cohorts. The figures, charts, export and timeline of
 * a cohort are cohort-reports'.
 */
import type { RequestHandler } from 'express';
import type { Connection } from 'mongoose';
import type { AttemptLimiter } from '../../platform/attempt-limiter';
import type { UserModel } from '../accounts';
import type { AuditLog } from '../audit';
import { cohortsController } from './cohorts.controller';
import { cohortModels } from './cohorts.model';
import { cohortsRouter } from './cohorts.routes';
import { createCohortsService } from './cohorts.service';

export { type CohortsService, type Cohort, createCohortsService } from './cohorts.service';
export { cohortOf, loadCohort } from './cohort-access';
export { type CohortMember, type CohortMembersReader, cohortMembersOn } from './cohort-members';
export { cohortPath, cohortView, type CohortView, formatDay } from './cohort-view';
export { COHORT_ENROL_PATH } from './cohorts.routes';

export function createCohorts(deps: {
  connection: Connection;
  baseUrl: string;
  /** shared collaborators, built once in createApp */
  User: UserModel;
  audit: AuditLog;
  limiter: AttemptLimiter;
  /** the CSRF check for the multipart enrolment form, run once multer has read it (see platform/security.ts) */
  verifyCsrf: RequestHandler;
  clock?: () => Date;
}) {
  const { connection, baseUrl } = deps;
  const clock = deps.clock ?? (() => new Date());
  const cohorts = createCohortsService({ models: cohortModels(connection), User: deps.User, limiter: deps.limiter, audit: deps.audit, clock });
  return {
    service: cohorts,
    router: cohortsRouter({ cohorts, verifyCsrf: deps.verifyCsrf, manage: cohortsController({ cohorts, baseUrl, clock }) }),
  };
}

/** Indexes of the cohort collections; called by ensureIndexes (autoIndex is off on purpose). */
export async function createCohortIndexes(connection: Connection): Promise<void> {
  for (const model of Object.values(cohortModels(connection))) await model.createIndexes();
}
