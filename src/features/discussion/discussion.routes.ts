import { type RequestHandler, Router } from 'express';
import { requireLogin } from '../../platform/auth-guards';
import { loadAccess, loadThread, moderatorsOnly } from './access';
import type { discussionController } from './discussion.controller';
import type { moderationController } from './moderation.controller';
import type { notificationsController } from './notifications.controller';
import type { Membership } from './ports';
import type { ReadingService } from './reading.service';


export function discussionRouter(deps: {
  membership: Membership;
  reading: ReadingService;
  talk: ReturnType<typeof discussionController>;
  moderate: ReturnType<typeof moderationController>;
  notifications: ReturnType<typeof notificationsController>;
}): Router {
  const { talk, moderate, notifications } = deps;
  const router = Router();
  const inCohort: RequestHandler[] = [requireLogin, loadAccess(deps.membership)];
  const inThread: RequestHandler[] = [...inCohort, loadThread(deps.reading)];
  const base = '/cohorts/:id/discussion';

  router.get(base, ...inCohort, talk.list);
  router.post(base, ...inCohort, talk.create);
  router.post(`${base}/plan`, ...inCohort, talk.sharePlan);
  router.get(`${base}/reports`, ...inCohort, moderatorsOnly, moderate.queue);
  router.post(`${base}/reports/:reportId/resolve`, ...inCohort, moderatorsOnly, moderate.resolve);
  router.get(`${base}/:threadId`, ...inThread, talk.show);
  router.post(`${base}/:threadId/replies`, ...inThread, talk.reply);
  router.get(`${base}/:threadId/posts/:postId/edit`, ...inThread, talk.editForm);
  router.post(`${base}/:threadId/posts/:postId/edit`, ...inThread, talk.edit);
  router.post(`${base}/:threadId/report`, ...inThread, moderate.report);
  router.post(`${base}/:threadId/pin`, ...inThread, moderatorsOnly, moderate.pin);
  router.post(`${base}/:threadId/lock`, ...inThread, moderatorsOnly, moderate.lock);
  router.post(`${base}/:threadId/hide`, ...inThread, moderatorsOnly, moderate.hide);
  router.post(`${base}/:threadId/restore`, ...inThread, moderatorsOnly, moderate.restore);
  router.post('/profile/notifications', requireLogin, notifications.save);
  return router;
}

/** The unsubscribe link's routes: mounted before the CSRF check, the signed token being the proof. */
export function unsubscribeRouter(notifications: ReturnType<typeof notificationsController>): Router {
  const router = Router();
  router.get('/discussion/unsubscribe/:token', notifications.confirm);
  router.post('/discussion/unsubscribe/:token', notifications.unsubscribe);
  return router;
}
