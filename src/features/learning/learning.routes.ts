import { type RequestHandler, Router } from 'express';
import type { learningController } from './learning.controller';

export function learningRouter(c: ReturnType<typeof learningController>, requireLearner: RequestHandler): Router {
  const router = Router();
  router.get('/dashboard', requireLearner, c.dashboard);
  router.post('/modules/:module/lessons/:lesson/complete', requireLearner, c.completeLesson);
  router.get('/modules/:module/quiz', requireLearner, c.showQuiz);
  router.post('/modules/:module/quiz', requireLearner, c.submitQuiz);
  router.get('/modules/:module/quiz/attempts', requireLearner, c.history);
  router.get('/modules/:module/quiz/attempts/:attempt', requireLearner, c.showResult);
  return router;
}
