import type { NextFunction, Request, Response } from 'express';
import { setFlash } from '../../platform/flash';
import { BadRequestError } from '../../platform/errors';
import { setLanguageCookie } from '../../platform/i18n';
import { safeLocalPath } from '../../platform/local-path';
import { type FormErrors, type FormValues, keptValues, parseForm } from '../../platform/validation';
import { languageSchema, loginSchema, registerSchema } from './accounts.schemas';
import type { AccountsService, AccountUser } from './accounts.service';
import type { AppPassport, LoginOutcome } from './authentication';

/** Where a user lands after logging in when no `next` says otherwise: the learner's home. */
export const AFTER_LOGIN = '/dashboard';

const LOGIN_REFUSALS: Record<LoginOutcome, { status: number; messageKey: string }> = {
  invalid: { status: 401, messageKey: 'accounts:errors.loginFailed' },
  deactivated: { status: 403, messageKey: 'accounts:errors.accountDeactivated' },
  limited: { status: 429, messageKey: 'accounts:errors.tooManyLogins' },
};

type FormPage = { values?: FormValues; errors?: FormErrors; messageKey?: string };

function renderRegister(res: Response, status: number, page: FormPage) {
  res.status(status).render('accounts/register', {
    title: 'accounts:register.title',
    // where to go after signing up (an invitation's cohort join form); local paths only
    next: safeLocalPath(res.req.method === 'GET' ? res.req.query.next : (res.req.body as { next?: unknown } | undefined)?.next, ''),
    values: page.values ?? { language: res.locals.lng },
    errors: page.errors ?? {},
    messageKey: page.messageKey,
  });
}

function renderLogin(res: Response, status: number, page: FormPage & { next?: string }) {
  res.status(status).render('accounts/login', {
    title: 'accounts:login.title',
    values: page.values ?? {},
    errors: page.errors ?? {},
    messageKey: page.messageKey,
    next: page.next ?? '',
  });
}

/** Starts a fresh session for the user (passport regenerates the session id) and greets them. */
function startSession(req: Request, res: Response, next: NextFunction, user: AccountUser, goTo: string, flashKey: string) {
  req.logIn(user, (err) => {
    if (err) {
      next(err);
      return;
    }
    setFlash(req, { type: 'success', messageKey: flashKey, vars: { name: user.name } });
    res.redirect(303, goTo);
  });
}

export function accountsController(deps: { accounts: AccountsService; passport: AppPassport; secureCookies: boolean | 'auto' }) {
  const { accounts, passport, secureCookies } = deps;
  return {
    /** GET /register — the sign-up form */
    showRegister(_req: Request, res: Response) {
      renderRegister(res, 200, {});
    },

    /** POST /register — create a learner account and log in */
    async register(req: Request, res: Response, next: NextFunction) {
      const form = parseForm(registerSchema, req.body, { secret: ['password'] });
      if (!form.ok) return renderRegister(res, 422, form);
      const result = await accounts.register({ ...form.data, ip: req.ip ?? '' });
      if ('limited' in result) {
        res.setHeader('Retry-After', '3600');
        return renderRegister(res, 429, { values: keptValues(req.body, ['password']), messageKey: 'accounts:errors.tooManyRegistrations' });
      }
      if (!result.ok) {
        return renderRegister(res, 422, { values: keptValues(req.body, ['password']), errors: { [result.field]: result.error } });
      }
      const after = safeLocalPath((req.body as { next?: unknown }).next, AFTER_LOGIN);
      startSession(req, res, next, result.user, after, 'accounts:flash.registered');
    },

    /** GET /login — the login form; `next` is where to go afterwards (local paths only) */
    showLogin(req: Request, res: Response) {
      if (req.user) return res.redirect(safeLocalPath(req.query.next, AFTER_LOGIN));
      renderLogin(res, 200, { next: safeLocalPath(req.query.next, '') });
    },

    /** POST /login — check the credentials through passport-local, then start a fresh session */
    login(req: Request, res: Response, next: NextFunction) {
      const goTo = safeLocalPath(req.body?.next, AFTER_LOGIN);
      const form = parseForm(loginSchema, req.body, { secret: ['password'] });
      if (!form.ok) return renderLogin(res, 422, { ...form, next: safeLocalPath(req.body?.next, '') });
      req.body = form.data; // passport-local reads the normalised e-mail, never a smuggled object
      const authenticate = passport.authenticate('local', (err: unknown, user: AccountUser | false, info?: { message?: string }) => {
        if (err) return next(err);
        if (!user) {
          const refusal = LOGIN_REFUSALS[(info?.message as LoginOutcome) ?? 'invalid'] ?? LOGIN_REFUSALS.invalid;
          if (refusal.status === 429) res.setHeader('Retry-After', '900');
          return renderLogin(res, refusal.status, {
            values: { email: form.data.email },
            messageKey: refusal.messageKey,
            next: goTo === AFTER_LOGIN ? '' : goTo,
          });
        }
        startSession(req, res, next, user, goTo, 'accounts:flash.loggedIn');
      });
      authenticate(req, res, next);
    },

    /** POST /logout — end the session: its record is deleted and a new, anonymous one carries the goodbye */
    logout(req: Request, res: Response, next: NextFunction) {
      req.logout((err) => {
        if (err) return next(err);
        setFlash(req, { type: 'success', messageKey: 'accounts:flash.loggedOut' });
        res.redirect(303, '/');
      });
    },

    /** POST /language — the language switcher: stores a signed-in user's preference, then goes back */
    async setLanguage(req: Request, res: Response) {
      const form = parseForm(languageSchema, req.body);
      if (!form.ok) throw new BadRequestError('accounts:errors.languageInvalid');
      const goTo = safeLocalPath(form.data.next, '/');
      if (req.user) await accounts.setLanguage(req.user.id, form.data.language);
      setLanguageCookie(res, form.data.language, secureCookies);
      res.redirect(303, goTo);
    },
  };
}
