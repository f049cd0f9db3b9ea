import type { RequestHandler } from 'express';
import { Types } from 'mongoose';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { AccountsService } from './accounts.service';

export type LoginOutcome = 'invalid' | 'deactivated' | 'limited';
export type AppPassport = InstanceType<typeof Passport>;

/**
 * Passport for this app alone (not the global singleton, so two apps in one process, as in tests,
 * never share strategies). The session holds the user's id alone; every request loads the user,
 * so a role change or a deactivation counts at once. `req.user` is set before the i18n middleware
 * runs, which lets the user's own language win.
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
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: unknown, done) => {
    if (typeof id !== 'string' || !Types.ObjectId.isValid(id)) {
      done(null, false);
      return;
    }
    accounts
      .findActiveUser(id)
      .then((user) => done(null, user ?? false))
      .catch(done);
  });
  const middleware: RequestHandler[] = [passport.initialize(), passport.session()];
  return { passport, middleware };
}
