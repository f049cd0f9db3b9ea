import { type RequestHandler, Router } from 'express';
import { requireLogin } from '../../platform/auth-guards';
import { accountsController } from './accounts.controller';
import type { AccountsService } from './accounts.service';
import type { AppPassport } from './authentication';
import { passwordResetController } from './password-reset.controller';
import type { PasswordResetService } from './password-reset.service';
import { type ProfileExtras, profileController } from './profile.controller';

/** Pages with personal data or one-time links are never kept by a browser or a proxy. */
const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

export function accountsRouter(deps: {
  accounts: AccountsService;
  resets: PasswordResetService;
  passport: AppPassport;
  secureCookies: boolean | 'auto';
  profileExtras?: ProfileExtras;
}): Router {
  const router = Router();
  const auth = accountsController(deps);
  const profile = profileController(deps);
  const reset = passwordResetController(deps);

  router.get('/register', auth.showRegister);
  router.post('/register', auth.register);
  router.get('/login', auth.showLogin);
  router.post('/login', auth.login);
  router.post('/logout', auth.logout);
  router.post('/language', auth.setLanguage);

  router.get('/password/forgot', reset.showForgot);
  router.post('/password/forgot', reset.forgot);
  router.get('/password/reset/:token', reset.showReset);
  router.post('/password/reset/:token', reset.reset);

  router.get('/profile', requireLogin, noStore, profile.show);
  router.post('/profile', requireLogin, noStore, profile.update);
  router.post('/profile/email', requireLogin, noStore, profile.changeEmail);
  router.post('/profile/password', requireLogin, noStore, profile.changePassword);
  return router;
}
