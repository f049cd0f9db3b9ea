import { Router } from 'express';
import type { handbookController } from './handbook.controller';

export function handbookRouter(c: ReturnType<typeof handbookController>): Router {
  const router = Router();
  router.get('/modules/:module/handbook.pdf', c.download);
  return router;
}
