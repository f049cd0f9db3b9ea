import { Router } from 'express';
import type { Connection } from 'mongoose';
import { isDatabaseReady } from './database';

/** Probes for load balancers and orchestrators; mounted before sessions so they never touch one. */
export function healthRouter(connection: Connection): Router {
  const router = Router();
  /** GET /healthz — the process is up */
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  /** GET /readyz — the process can serve: the database answers */
  router.get('/readyz', async (_req, res) => {
    const ready = await isDatabaseReady(connection);
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ready ? 'ready' : 'unavailable', database: ready ? 'up' : 'down' });
  });
  return router;
}
