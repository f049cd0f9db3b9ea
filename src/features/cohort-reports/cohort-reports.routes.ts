import { Router } from 'express';
import { requireRight } from '../../platform/auth-guards';
import { noStore } from '../../platform/no-store';
import { type CohortsService, loadCohort } from '../cohorts';
import type { monitoringController } from './monitoring.controller';

export function cohortReportsRouter(deps: { cohorts: CohortsService; monitor: ReturnType<typeof monitoringController> }): Router {
  const { monitor } = deps;
  const router = Router();
  // the cohort is loaded, and refused to trainers of other cohorts, before anything else is read
  const cohort = [requireRight('cohorts.manage'), noStore, loadCohort(deps.cohorts)];
  router.get('/trainer/cohorts/:id', ...cohort, monitor.show);
  router.get('/trainer/cohorts/:id/at-risk', ...cohort, monitor.atRisk);
  router.get('/trainer/cohorts/:id/questions', ...cohort, monitor.questions);
  router.get('/trainer/cohorts/:id/learners/:userId', ...cohort, monitor.learner);
  router.get('/trainer/cohorts/:id/export.csv', ...cohort, monitor.exportCsv);
  return router;
}
