import { Router } from 'express';

export function homeRouter(): Router {
  const router = Router();
  /** GET / — what the course is and where to start */
  router.get('/', (_req, res) => {
    res.render('home/index', { title: 'common:home.title' });
  });
  return router;
}
