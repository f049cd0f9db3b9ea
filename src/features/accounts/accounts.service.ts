import { isDuplicateKey } from '../../platform/database';
import { type AttemptLimiter, ipBucket, type Limit } from '../../platform/attempt-limiter';
import type { ActivityObserver } from '../../platform/activity';
import type { Language } from '../../platform/i18n';
import type { Role } from '../../platform/roles';
import type { AuditLog } from '../audit';
import type { CreateUserInput, ProfileInput, RegisterInput } from './accounts.schemas';
import type { PasswordHasher } from './passwords';
import type { UserDocument, UserModel, UserRecord } from './user.model';

/** What a signed-in request carries (Express.User): the id, and what every page needs. */
export type AccountUser = { id: string; email: string; name: string; role: Role; language: Language };
export type Profile = AccountUser & { organisation?: string; country?: string; position?: string };

/** A refused form: the field to mark and the i18n key of the message beside it. */
export type FieldRefusal = { ok: false; field: string; error: string };

export type SessionsPort = {
  /** ends the user's sessions, all of them or all but one */
  endAllOf(userId: string, exceptSessionId?: string): Promise<number>;
  /** writes the user's new name, e-mail, role or language into every session they are signed in with */
  rewriteUser(userId: string, user: AccountUser): Promise<void>;
};

export type AccountsDeps = {
  User: UserModel;
  hasher: PasswordHasher;
  limiter: AttemptLimiter;
  audit: AuditLog;
  sessions: SessionsPort;
  /** told about each new self-registered account (the welcome e-mail, queued in the outbox) */
  onRegistered?: (user: AccountUser) => Promise<void>;
  activity?: ActivityObserver;
};

const FIFTEEN_MINUTES = 15 * 60_000;
/**
 * Failed logins allowed per e-mail and per client IP. The per-IP limit is loose because a whole
 * town hall may share one address; the per-e-mail limit is what stops guessing one account.
 */
export const loginLimits = (email: string, ip: string): Limit[] => [
  { key: `login:email:${email}`, max: 5, windowMs: FIFTEEN_MINUTES },
  { key: `login:ip:${ipBucket(ip)}`, max: 50, windowMs: FIFTEEN_MINUTES },
];

/**
 * Sign-ups per client IP. A workshop in a town hall may sign up a room of learners from one address
 * in an hour, so the limit is a room's worth, not one person's.
 */
export const registerLimits = (ip: string): Limit[] => [{ key: `register:ip:${ipBucket(ip)}`, max: 30, windowMs: 60 * 60_000 }];

export function toAccountUser(user: Pick<UserRecord, 'email' | 'name' | 'role' | 'language'> & { _id: unknown }): AccountUser {
  return { id: String(user._id), email: user.email, name: user.name, role: user.role, language: user.language };
}

export function createAccountsService(deps: AccountsDeps) {
  const { User, hasher, limiter, audit, sessions } = deps;

  /** The user as a session carries it, or undefined when gone or deactivated: only the fields needed. */
  async function findActiveUser(id: string): Promise<AccountUser | undefined> {
    const user = await User.findById(id, { email: 1, name: 1, role: 1, language: 1, deactivatedAt: 1 }).lean<
      Pick<UserRecord, 'email' | 'name' | 'role' | 'language' | 'deactivatedAt'> & { _id: unknown }
    >();
    return user && !user.deactivatedAt ? toAccountUser(user) : undefined;
  }

  /** After a change to what sessions carry: every session of the user gets the new values. */
  async function refreshSessions(id: string) {
    const user = await findActiveUser(id);
    if (user) await sessions.rewriteUser(id, user);
    else await sessions.endAllOf(id);
  }

  async function createAccount(input: CreateUserInput): Promise<{ ok: true; user: AccountUser } | FieldRefusal> {
    const passwordHash = await hasher.hash(input.password);
    try {
      const user = await User.create({
        email: input.email,
        name: input.name,
        passwordHash,
        role: input.role,
        language: input.language,
        passwordChangedAt: new Date(),
      });
      await deps.activity?.record({ type: 'registered', userId: String(user._id), language: user.language, at: user.createdAt });
      return { ok: true, user: toAccountUser(user) };
    } catch (err) {
      // The unique index decides, also when two sign-ups race (e-mails are stored lower-cased).
      if (isDuplicateKey(err)) return { ok: false, field: 'email', error: 'accounts:errors.emailTaken' };
      throw err;
    }
  }

  /** Checks a password against the account, spending the same time whether or not it exists. */
  async function checkCredentials(email: string, password: string) {
    const user = await User.findOne({ email });
    if (!user) {
      await hasher.verifyNothing(password);
      return { user: undefined, valid: false };
    }
    const valid = await hasher.verify(user.passwordHash, password);
    if (valid && hasher.needsRehash(user.passwordHash)) {
      await User.updateOne({ _id: user._id }, { $set: { passwordHash: await hasher.hash(password) } });
    }
    return { user, valid };
  }

  return {
    /**
     * A new learner signs up. Each sign-up costs a password hash, so an address gets a number of
     * them an hour; a refused one hashes nothing.
     */
    async register(input: RegisterInput & { ip: string }): Promise<{ ok: true; user: AccountUser } | FieldRefusal | { ok: false; limited: true }> {
      const { ip, ...account } = input;
      const claim = await limiter.take(registerLimits(ip));
      if (!claim.allowed) return { ok: false, limited: true };
      const created = await createAccount({ ...account, role: 'learner' });
      if (created.ok) await deps.onRegistered?.(created.user);
      return created;
    },

    /** An account with any role, made by an operator (the command line); audited. */
    async createUser(input: CreateUserInput, via = 'cli') {
      const result = await createAccount(input);
      if (result.ok) {
        await audit.record({
          action: 'user.created',
          target: { id: result.user.id, email: result.user.email },
          details: { role: input.role, via },
        });
      }
      return result;
    },

    /**
     * A login attempt: refused while the e-mail or the IP has too many recent failures, counted
     * when it fails (also when many arrive at once), and every outcome audited.
     */
    async login(input: { email: string; password: string; ip: string }) {
      const { email, password, ip } = input;
      const limits = loginLimits(email, ip);
      const failed = (reason: string, user?: UserDocument) =>
        audit.record({
          action: 'login.failed',
          target: { id: user ? String(user._id) : undefined, email },
          ip,
          details: { reason },
        });

      // the slot is taken before the password is checked: that check is what a guesser is after
      const claim = await limiter.take(limits);
      if (!claim.allowed) {
        await failed('limited');
        return { status: 'limited' as const };
      }
      const { user, valid } = await checkCredentials(email, password);
      if (!user || !valid) {
        await failed(user ? 'wrong-password' : 'unknown-email', user);
        return { status: 'invalid' as const };
      }
      // only failures count: a right password gives its slots back
      await claim.release();
      if (user.deactivatedAt) {
        await failed('deactivated', user);
        return { status: 'deactivated' as const };
      }
      await limiter.forget(limits[0]!.key);
      await audit.record({ action: 'login.succeeded', target: { id: String(user._id), email }, ip });
      return { status: 'ok' as const, user: toAccountUser(user) };
    },

    findActiveUser,

    async getProfile(id: string): Promise<Profile | undefined> {
      const user = await User.findById(id);
      if (!user) return undefined;
      const { organisation, country, position } = user;
      return { ...toAccountUser(user), organisation, country, position };
    },

    /** Saves the profile; a field left empty is removed, never stored as null. */
    async updateProfile(id: string, input: ProfileInput) {
      const set: Record<string, string> = { name: input.name, language: input.language };
      const unset: Record<string, 1> = {};
      for (const field of ['organisation', 'country', 'position'] as const) {
        const value = input[field];
        if (value) set[field] = value;
        else unset[field] = 1;
      }
      await User.updateOne({ _id: id }, { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) });
      await refreshSessions(id);
    },

    async setLanguage(id: string, language: Language) {
      await User.updateOne({ _id: id }, { $set: { language } });
      await refreshSessions(id);
    },

    /** A new e-mail address, allowed with the current password. */
    async changeEmail(id: string, input: { email: string; currentPassword: string; ip: string }) {
      const user = await User.findById(id);
      if (!user || !(await hasher.verify(user.passwordHash, input.currentPassword))) {
        return { ok: false, field: 'currentPassword', error: 'accounts:errors.currentPasswordWrong' } as FieldRefusal;
      }
      if (input.email === user.email) return { ok: true as const };
      // Checked first because FerretDB v1 reports a unique-index clash on update as a generic
      // error, not 11000 (inserts are fine); the index still guards the race, on MongoDB as 11000.
      if (await User.exists({ email: input.email, _id: { $ne: user._id } })) {
        return { ok: false, field: 'email', error: 'accounts:errors.emailTaken' } as FieldRefusal;
      }
      try {
        await User.updateOne({ _id: id }, { $set: { email: input.email } });
      } catch (err) {
        if (isDuplicateKey(err)) return { ok: false, field: 'email', error: 'accounts:errors.emailTaken' } as FieldRefusal;
        throw err;
      }
      await audit.record({
        action: 'user.emailChanged',
        actor: { id, email: user.email },
        target: { id, email: input.email },
        ip: input.ip,
        details: { from: user.email, to: input.email },
      });
      await refreshSessions(id);
      return { ok: true as const };
    },

    /** A new password, allowed with the current one; the user's other sessions end. */
    async changePassword(id: string, input: { currentPassword: string; newPassword: string; sessionId: string; ip: string }) {
      const user = await User.findById(id);
      if (!user || !(await hasher.verify(user.passwordHash, input.currentPassword))) {
        return { ok: false, field: 'currentPassword', error: 'accounts:errors.currentPasswordWrong' } as FieldRefusal;
      }
      const passwordHash = await hasher.hash(input.newPassword);
      await User.updateOne({ _id: id }, { $set: { passwordHash, passwordChangedAt: new Date() } });
      await sessions.endAllOf(id, input.sessionId);
      await audit.record({ action: 'password.changed', actor: { id, email: user.email }, target: { id, email: user.email }, ip: input.ip });
      return { ok: true as const };
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
