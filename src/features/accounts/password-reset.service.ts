import crypto from 'node:crypto';
import { type AttemptLimiter, ipBucket, type Limit } from '../../platform/attempt-limiter';
import type { Language } from '../../platform/i18n';
import type { AuditLog } from '../audit';
import { loginLimits, type SessionsPort } from './accounts.service';
import type { PasswordHasher } from './passwords';
import type { PasswordResetModel } from './password-reset.model';
import type { UserModel } from './user.model';

export type ResetEmails = {
  passwordReset(message: { to: string; name: string; language: Language; token: string }): Promise<void>;
};

export type PasswordResetDeps = {
  User: UserModel;
  PasswordReset: PasswordResetModel;
  hasher: PasswordHasher;
  limiter: AttemptLimiter;
  audit: AuditLog;
  sessions: SessionsPort;
  emails: ResetEmails;
  clock?: () => Date;
};

export const RESET_TOKEN_TTL_MS = 60 * 60_000;
const HOUR = 60 * 60_000;

/** Reset e-mails asked for, per address and per client IP, whether or not the address exists. */
export const forgotLimits = (email: string, ip: string): Limit[] => [
  { key: `reset:email:${email}`, max: 3, windowMs: HOUR },
  { key: `reset:ip:${ipBucket(ip)}`, max: 20, windowMs: HOUR },
];
/** Reset links tried that did not work, per client IP. */
export const resetTokenLimits = (ip: string): Limit[] => [{ key: `reset-token:ip:${ipBucket(ip)}`, max: 10, windowMs: HOUR }];

/** 32 random bytes, URL-safe: 43 characters. Anything else is not one of ours. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export function createPasswordResetService(deps: PasswordResetDeps) {
  const { User, PasswordReset, hasher, limiter, audit, sessions, emails } = deps;
  const clock = deps.clock ?? (() => new Date());

  /** The stored link for a token while it can still be used. */
  async function findUsable(token: string) {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    const reset = await PasswordReset.findById(hashToken(token));
    if (!reset || reset.expiresAt <= clock()) return undefined;
    const user = await User.findById(reset.userId);
    if (!user || user.deactivatedAt) return undefined;
    return { reset, user };
  }

  return {
    /**
     * Someone asks for a reset link. The answer is the same whether or not the address has an
     * account; only an existing, active account gets an e-mail, in its own language.
     */
    async requestReset(input: { email: string; ip: string }) {
      const { email, ip } = input;
      const limits = forgotLimits(email, ip);
      if (!(await limiter.take(limits)).allowed) return { status: 'limited' as const };

      const user = await User.findOne({ email });
      if (!user || user.deactivatedAt) {
        await audit.record({ action: 'password.resetRequested', target: { email }, ip, details: { account: 'none' } });
        return { status: 'accepted' as const };
      }
      const token = crypto.randomBytes(32).toString('base64url');
      const now = clock();
      await PasswordReset.create({
        _id: hashToken(token),
        userId: user._id,
        expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_MS),
      });
      await emails.passwordReset({ to: user.email, name: user.name, language: user.language, token });
      await audit.record({ action: 'password.resetRequested', target: { id: String(user._id), email: user.email }, ip });
      return { status: 'accepted' as const };
    },

    /** Whether a reset link can still be used (to show the form or say it expired). */
    async isUsable(token: string) {
      return (await findUsable(token)) !== undefined;
    },

    /**
     * Sets a new password through a reset link. The link works once: deleting its record is what
     * claims it, and only the request whose delete removed it goes on. All the user's other
     * sessions end, as do their other reset links and their count of failed logins.
     */
    async resetPassword(input: { token: string; password: string; ip: string; sessionId?: string }) {
      const limits = resetTokenLimits(input.ip);
      const claim = await limiter.take(limits);
      if (!claim.allowed) return { status: 'limited' as const };
      const usable = await findUsable(input.token);
      const claimed = usable && (await PasswordReset.deleteOne({ _id: usable.reset._id })).deletedCount === 1;
      if (!usable || !claimed) return { status: 'invalid' as const };
      await claim.release();
      const { user } = usable;
      const id = String(user._id);
      const passwordHash = await hasher.hash(input.password);
      await User.updateOne({ _id: user._id }, { $set: { passwordHash, passwordChangedAt: clock() } });
      await PasswordReset.deleteMany({ userId: user._id });
      await sessions.endAllOf(id, input.sessionId);
      await limiter.forget(loginLimits(user.email, input.ip)[0]!.key);
      await audit.record({ action: 'password.resetUsed', target: { id, email: user.email }, ip: input.ip });
      return { status: 'ok' as const, email: user.email };
    },
  };
}

export type PasswordResetService = ReturnType<typeof createPasswordResetService>;

export async function purgeExpiredResets(PasswordReset: PasswordResetModel, now = new Date()): Promise<number> {
  return (await PasswordReset.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
}
