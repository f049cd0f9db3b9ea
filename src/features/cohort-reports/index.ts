/**
 * Cohort reports: what a trainer sees of a cohort's learners — the overview with its figures and
 * charts, the learners at risk, the question statistics, one learner's timeline and the CSV export.
 */
import type { Connection } from 'mongoose';
import type { UserModel } from '../accounts';
import type { CohortsService } from '../cohorts';
import type { ContentService } from '../content';
import { createCohortReport } from './cohort-report.service';
import { cohortReportsRouter } from './cohort-reports.routes';
import { monitoringController } from './monitoring.controller';

export { type CohortReport, createCohortReport } from './cohort-report.service';

export function createCohortReports(deps: {
  connection: Connection;
  content: ContentService;
  cohorts: CohortsService;
  /** the shared user model, built once in createApp */
  User: UserModel;
  baseUrl: string;
  clock?: () => Date;
}) {
  const clock = deps.clock ?? (() => new Date());
  const report = createCohortReport({ connection: deps.connection, content: deps.content, User: deps.User });
  return {
    report,
    router: cohortReportsRouter({ cohorts: deps.cohorts, monitor: monitoringController({ cohorts: deps.cohorts, report, baseUrl: deps.baseUrl, clock }) }),
  };
}
