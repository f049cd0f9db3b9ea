import { type Request, type Response, Router } from 'express';
import { requireRight } from '../../platform/auth-guards';
import type { Statement } from '@xapi/xapi';
import type { DeliveryQueue } from '../../platform/delivery-queue';

/** GET /admin/xapi — the statements waiting for the LRS, and those it refused after every retry */
export function xapiAdminRouter(deps: { queue: DeliveryQueue<Statement>; endpoint: string | undefined }): Router {
  const router = Router();
  router.get('/admin/xapi', requireRight('audit.read'), async (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    const report = await deps.queue.report();
    res.render('admin/xapi', { title: 'xapi:admin.title', endpoint: deps.endpoint, ...report });
  });
  return router;
}
