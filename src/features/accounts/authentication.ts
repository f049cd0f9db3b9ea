import type { RequestHandler } from 'express';
import { Types } from 'mongoose';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { isLanguage } from '../../platform/i18n';
import { ROLES } from '../../platform/roles';
import type { AccountUser, AccountsService } from './accounts.service';

export type LoginOutcome = 'invalid' | 'deactivated' | 'limited';
export type AppPassport = InstanceType<typeof Passport>;

/** The user a session carries, if it has the shape serializeUser writes. */
function storedUser(value: unknown): AccountUser | undefined {
  const u = value as Partial<AccountUser> | null;
  if (!u || typeof u !== 'object') return undefined;
  const { id, email, name, role, language } = u;
  if (typeof id !== 'string' || !Types.ObjectId.isValid(id) || typeof email !== 'string' || typeof name !== 'string') return undefined;
  if (!(ROLES as readonly unknown[]).includes(role) || !isLanguage(language)) return undefined;
  return { id, email, name, role: role as AccountUser['role'], language };
}

/**
 * Passport for this app alone (not the global singleton, so two apps in one process, as in tests,
 * never share strategies). The session carries the signed-in user (id, e-mail, name, role,
 * language), so a request reads the session and not the user as well. Every change to those
 * (profile, language, e-mail, role) rewrites the user in all of that user's sessions, and a
 * deactivation or a password change ends them (platform/session.ts; the store never lets a request
 * write back an older user), so a role change or a deactivation still counts on the next request.
 * Sessions signed in before the user was kept in them hold the id alone: those read the user.
 * `req.user` is set before the i18n middleware runs, which lets the user's own language win.
 */
export function createAuthentication(accounts: AccountsService) {
  const passport = new Passport();
  passport.use(
    'local',
    new LocalStrategy(
      { usernameField: 'email', passwordField: 'password', passReqToCallback: true },
      (req, email, password, done) => {
        accounts
          .login({ email, password, ip: req.ip ?? 'unknown' })
          .then((result) =>
            result.status === 'ok' ? done(null, result.user) : done(null, false, { message: result.status }),
          )
          .catch(done);
      },
    ),
  );
  passport.serializeUser((user, done) => done(null, storedUser(user) ?? false));
  passport.deserializeUser((stored: unknown, done) => {
    if (typeof stored === 'object') {
      done(null, storedUser(stored) ?? false);
      return;
    }
    if (typeof stored !== 'string' || !Types.ObjectId.isValid(stored)) {
      done(null, false);
      return;
    }
    accounts
      .findActiveUser(stored)
      .then((user) => done(null, user ?? false))
      .catch(done);
  });
  const middleware: RequestHandler[] = [passport.initialize(), passport.session()];
  return { passport, middleware };
}
