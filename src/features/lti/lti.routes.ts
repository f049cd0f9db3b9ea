import { Router } from 'express';
import { requireLogin } from '../../platform/auth-guards';
import type { ltiController } from './lti.controller';

type Controller = ReturnType<typeof ltiController>;

/** The protocol endpoints the LMS calls: signed by the platform, not by our CSRF token; mount before it. */
export function ltiProtocolRouter(lti: Controller): Router {
  const router = Router();
  router.get('/lti/jwks', lti.jwks);
  router.get('/lti/login', lti.login);
  router.post('/lti/login', lti.login);
  router.post('/lti/launch', lti.launch);
  return router;
}

/** The teacher's choice in deep linking: an ordinary signed-in form. */
export function ltiDeepLinkingRouter(lti: Controller): Router {
  const router = Router();
  router.get('/lti/deep-linking', requireLogin, lti.chooser);
  router.post('/lti/deep-linking', requireLogin, lti.place);
  return router;
}
