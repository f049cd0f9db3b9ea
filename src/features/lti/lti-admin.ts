import { type Request, type Response, Router } from 'express';
import { requireRight } from '../../platform/auth-guards';
import type { DeliveryQueue } from '../../platform/delivery-queue';
import { NotFoundError } from '../../platform/errors';
import { setFlash } from '../../platform/flash';
import { type FormErrors, type FormValues, keptValues, parseForm } from '../../platform/validation';
import type { ScorePayload } from './lti-grades';
import { platformForm, type PlatformRegistry } from './lti-platforms';

/** The values an LMS asks for when a tool is added (Moodle's "External tool" form, Canvas' developer key). */
export const toolValues = (baseUrl: string) => ({
  toolUrl: `${baseUrl}/lti/launch`,
  loginUrl: `${baseUrl}/lti/login`,
  redirectUris: `${baseUrl}/lti/launch`,
  jwksUrl: `${baseUrl}/lti/jwks`,
  deepLinkingUrl: `${baseUrl}/lti/launch`,
});

/** /admin/lti — register the LMSs that may launch the course, and see the scores sent back to them */
export function ltiAdminRouter(deps: { platforms: PlatformRegistry; scores: DeliveryQueue<ScorePayload>; baseUrl: string }): Router {
  const router = Router();
  const guard = requireRight('users.manage');

  async function page(res: Response, status: number, form: { errors?: FormErrors; values?: FormValues } = {}) {
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).render('admin/lti', {
      title: 'lti:admin.title',
      platforms: await deps.platforms.list(),
      tool: toolValues(deps.baseUrl),
      scores: await deps.scores.report(20),
      errors: form.errors ?? {},
      values: form.values ?? {},
    });
  }

  /** GET /admin/lti — the registered platforms, the form to add one, and our values to give them */
  router.get('/admin/lti', guard, async (_req: Request, res: Response) => page(res, 200));

  /** POST /admin/lti — registers a platform */
  router.post('/admin/lti', guard, async (req: Request, res: Response) => {
    const form = parseForm(platformForm, req.body);
    if (!form.ok) return page(res, 422, form);
    const done = await deps.platforms.register(form.data);
    if (!done.ok) return page(res, 409, { errors: { clientId: 'lti:admin.errors.duplicate' }, values: keptValues(req.body) });
    setFlash(req, { type: 'success', messageKey: 'lti:admin.registered', vars: { name: form.data.name } });
    // saved before answering, or a quick browser may load the next page before the message is stored
    await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
    res.redirect(303, '/admin/lti');
  });

  /** POST /admin/lti/:id/delete — the platform can no longer launch; its learners keep their accounts */
  router.post('/admin/lti/:id/delete', guard, async (req: Request, res: Response) => {
    if (!(await deps.platforms.remove(String(req.params.id)))) throw new NotFoundError();
    setFlash(req, { type: 'success', messageKey: 'lti:admin.removed' });
    res.redirect(303, '/admin/lti');
  });
  return router;
}
