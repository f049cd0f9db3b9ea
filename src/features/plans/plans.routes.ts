import { type RequestHandler, Router } from 'express';
import type { plansController } from './plans.controller';

export function plansRouter(c: ReturnType<typeof plansController>, guards: { learner: RequestHandler; trainer: RequestHandler }): Router {
  const router = Router();
  router.get('/modules/:module/worksheet', guards.learner, c.showWorksheet);
  router.post('/modules/:module/worksheet', guards.learner, c.saveWorksheet);
  router.get('/plan', guards.learner, c.showPlan);
  router.get('/plan.pdf', guards.learner, c.planPdf);
  router.get('/plan.docx', guards.learner, c.planDocx);
  router.post('/plan/share', guards.learner, c.share);
  router.get('/trainer/cohorts/:id/plans', guards.trainer, c.cohortPlans);
  router.get('/trainer/cohorts/:id/learners/:userId/plan', guards.trainer, c.learnerPlan);
  router.post('/trainer/cohorts/:id/learners/:userId/plan/feedback', guards.trainer, c.feedback);
  return router;
}
