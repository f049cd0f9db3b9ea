import { Types } from 'mongoose';
import { escapeRegex, paginate } from '../../platform/database';
import type { Role } from '../../platform/roles';
import { type AccountUser, type SessionsPort, toAccountUser, type UserModel } from '../accounts';
import type { AuditLog } from '../audit';

export type UserRow = {
  id: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  organisation?: string;
  country?: string;
  createdAt: Date;
};
export type UserPage = { users: UserRow[]; q: string; page: number; pages: number; total: number };

/** What an admin asked to change, and what came of it. */
export type ChangeOutcome =
  | { status: 'ok'; name: string }
  | { status: 'not-found' }
  | { status: 'self' };

export type AdminDeps = {
  User: UserModel;
  audit: AuditLog;
  sessions: Pick<SessionsPort, 'endAllOf' | 'rewriteUser'>;
};

const PER_PAGE = 20;

/** Managing accounts: find them, change roles, deactivate and reactivate. Every change is audited. */
export function createAdminService(deps: AdminDeps) {
  const { User, audit, sessions } = deps;

  /** Loads the account an admin acts on; an admin never demotes or deactivates themself (no lock-out). */
  async function target(actor: AccountUser, userId: string) {
    if (!Types.ObjectId.isValid(userId)) return { status: 'not-found' as const };
    if (actor.id === userId) return { status: 'self' as const };
    const user = await User.findById(userId);
    return user ? { status: 'found' as const, user } : { status: 'not-found' as const };
  }

  return {
    /** Accounts whose name or e-mail contains `q` (any case), newest first, a page at a time. */
    async listUsers(input: { q: string; page: number }): Promise<UserPage> {
      const filter = input.q
        ? { $or: [{ email: { $regex: escapeRegex(input.q), $options: 'i' } }, { name: { $regex: escapeRegex(input.q), $options: 'i' } }] }
        : {};
      const { docs, page, pages, total } = await paginate(User, filter, { page: input.page, perPage: PER_PAGE, sort: { createdAt: -1, _id: -1 } });
      const users = docs.map((u) => ({
        id: String(u._id),
        name: u.name,
        email: u.email,
        role: u.role,
        active: !u.deactivatedAt,
        organisation: u.organisation,
        country: u.country,
        createdAt: u.createdAt,
      }));
      return { users, q: input.q, page, pages, total };
    },

    async changeRole(actor: AccountUser, userId: string, role: Role, ip: string): Promise<ChangeOutcome> {
      const found = await target(actor, userId);
      if (found.status !== 'found') return found;
      const { user } = found;
      if (user.role !== role) {
        await User.updateOne({ _id: user._id }, { $set: { role } });
        // the user's open sessions carry the role: the next request of each sees the new one
        await sessions.rewriteUser(userId, toAccountUser({ ...user.toObject(), role }));
        await audit.record({
          action: 'user.roleChanged',
          actor: { id: actor.id, email: actor.email },
          target: { id: userId, email: user.email },
          ip,
          details: { from: user.role, to: role },
        });
      }
      return { status: 'ok', name: user.name };
    },

    /** The account can no longer log in, and every session it has ends now. */
    async deactivate(actor: AccountUser, userId: string, ip: string): Promise<ChangeOutcome> {
      const found = await target(actor, userId);
      if (found.status !== 'found') return found;
      const { user } = found;
      if (!user.deactivatedAt) {
        await User.updateOne({ _id: user._id }, { $set: { deactivatedAt: new Date() } });
        await audit.record({
          action: 'user.deactivated',
          actor: { id: actor.id, email: actor.email },
          target: { id: userId, email: user.email },
          ip,
        });
      }
      await sessions.endAllOf(userId);
      return { status: 'ok', name: user.name };
    },

    async reactivate(actor: AccountUser, userId: string, ip: string): Promise<ChangeOutcome> {
      const found = await target(actor, userId);
      if (found.status !== 'found') return found;
      const { user } = found;
      if (user.deactivatedAt) {
        await User.updateOne({ _id: user._id }, { $unset: { deactivatedAt: 1 } });
        await audit.record({
          action: 'user.reactivated',
          actor: { id: actor.id, email: actor.email },
          target: { id: userId, email: user.email },
          ip,
        });
      }
      return { status: 'ok', name: user.name };
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
