/**
 * Accounts: sign-up, login and sessions, profiles, password reset. Other features use
 * `req.user`, the guards in platform/auth-guards.ts, and what is exported here.
 */
import type { i18n as I18n } from 'i18next';
import type { Connection } from 'mongoose';
import { type AttemptLimiter, createAttemptIndexes, createAttemptLimiter, purgeExpiredAttempts } from '../../platform/attempt-limiter';
import type { ActivityObserver } from '../../platform/activity';
import type { Mailer } from '../../platform/mailer';
import { endSessionsOfUser, rewriteSessionUser } from '../../platform/session';
import { type AuditLog, auditLogFor } from '../audit';
import { createAccountEmails } from './accounts.emails';
import { accountsRouter } from './accounts.routes';
import { createAccountsService, type SessionsPort } from './accounts.service';
import type { ProfileExtras } from './profile.controller';
import { createAuthentication } from './authentication';
import { getPasswordResetModel } from './password-reset.model';
import { createPasswordResetService, purgeExpiredResets } from './password-reset.service';
import { createPasswordHasher, type HashingCost } from './passwords';
import { getUserModel, type UserModel } from './user.model';

export type { ProfileExtras } from './profile.controller';
export { type AccountUser, type AccountsService, createAccountsService, type Profile, type SessionsPort, toAccountUser } from './accounts.service';
export { createUserSchema, type CreateUserInput } from './accounts.schemas';
export { countryName, countryOptions } from './countries';
export { createPasswordHasher, type HashingCost, isCommonPassword } from './passwords';
export { getUserModel, type UserDocument, type UserModel, type UserRecord } from './user.model';

/** The sessions a user is signed in with, as the accounts and admin services change them. */
export function sessionsPortOn(connection: Connection): SessionsPort {
  return {
    endAllOf: (userId, except) => endSessionsOfUser(connection, userId, except),
    rewriteUser: (userId, user) => rewriteSessionUser(connection, userId, user),
  };
}

/** The accounts service on a connection, for the command line and other features. */
export function accountsServiceFor(connection: Connection, hashing: HashingCost) {
  return createAccountsService({
    User: getUserModel(connection),
    hasher: createPasswordHasher(hashing),
    limiter: createAttemptLimiter(connection),
    audit: auditLogFor(connection),
    sessions: sessionsPortOn(connection),
  });
}

/** Everything the web app needs from accounts: passport's middleware, the router, the service. */
export function createAccounts(deps: {
  connection: Connection;
  i18n: I18n;
  mailer: Mailer;
  baseUrl: string;
  hashing: HashingCost;
  /** 'auto': Secure when the request came over TLS (a trusted proxy's X-Forwarded-Proto) */
  secureCookies: boolean | 'auto';
  /** shared collaborators, built once in createApp */
  User: UserModel;
  audit: AuditLog;
  limiter: AttemptLimiter;
  /** what other features add to /profile (the discussion's e-mail choices), as view locals */
  profileExtras?: ProfileExtras;
  activity?: ActivityObserver;
}) {
  const { connection, User, audit, limiter } = deps;
  const hasher = createPasswordHasher(deps.hashing);
  const sessions = sessionsPortOn(connection);
  const emails = createAccountEmails({ mailer: deps.mailer, i18n: deps.i18n, baseUrl: deps.baseUrl });
  const accounts = createAccountsService({ User, hasher, limiter, audit, sessions, onRegistered: emails.welcome, activity: deps.activity });
  const resets = createPasswordResetService({
    User,
    PasswordReset: getPasswordResetModel(connection),
    hasher,
    limiter,
    audit,
    sessions,
    emails,
  });
  const { passport, middleware } = createAuthentication(accounts);
  return {
    service: accounts,
    /** mount right after the session middleware: it sets req.user */
    authentication: middleware,
    router: accountsRouter({ accounts, resets, passport, secureCookies: deps.secureCookies, profileExtras: deps.profileExtras }),
  };
}

/** Indexes for the accounts collections; called by prepareDatabase (autoIndex is off on purpose). */
export async function prepareAccountsDatabase(connection: Connection): Promise<void> {
  await getUserModel(connection).createIndexes();
  await getPasswordResetModel(connection).createIndexes();
  await createAttemptIndexes(connection);
}

/** Deletes expired reset links and old login attempts now (FerretDB has no TTL indexes). */
export async function purgeExpiredAccountRecords(connection: Connection, now = new Date()): Promise<number> {
  return (await purgeExpiredAttempts(connection, now)) + (await purgeExpiredResets(getPasswordResetModel(connection), now));
}

/** Runs the purge every 15 minutes; returns a function that stops it. */
export function startAccountsPurge(connection: Connection, onError: (err: unknown) => void, everyMs = 15 * 60_000) {
  const timer = setInterval(() => {
    purgeExpiredAccountRecords(connection).catch(onError);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
