import ipaddr from 'ipaddr.js';
import type { Connection } from 'mongoose';
import { insertOnce } from './database';

/**
 * Limits repeated attempts (failed logins, reset requests, registrations) across every app instance.
 *
 * Why not rate-limiter-flexible's RateLimiterMongo or a counter store for express-rate-limit: they
 * keep one document per key and bump it with `$inc`, and FerretDB v1 (our local database) applies
 * an update as read-modify-write, so parallel requests overwrite each other's counts; their expiry
 * also leans on TTL indexes, which FerretDB does not have.
 *
 * Counting inserted attempts and then deciding is not enough either: 40 parallel wrong passwords
 * all counted 0 before any was recorded, and 31 passwords were checked against a limit of 5. So a
 * limit of `max` is `max` slots per window of `windowMs` (windows counted from the epoch), each a
 * document whose `_id` is `<key>#<window>#<n>`: an attempt goes ahead only once it has inserted a
 * free slot, and the primary key lets exactly one of the racers for a slot have it, on MongoDB and
 * FerretDB alike. Slots are never freed and reused within their window (FerretDB deletes by
 * read-then-delete, so "delete if expired, then insert" let racers delete each other's fresh slots);
 * a new window brings new ids. So at most `max` attempts pass per window, and at most 2 × `max`
 * in any span of `windowMs` that straddles two windows. `purgeExpiredAttempts` deletes old slots.
 */
export const ATTEMPTS_COLLECTION = 'attempts';

type Attempt = { _id: string; key: string; at: Date; expiresAt: Date };

/** At most `max` attempts for `key` within the last `windowMs`. */
export type Limit = { key: string; max: number; windowMs: number };

/** The outcome of asking to go ahead: `release` gives back the slots taken (a login that succeeded). */
export type Claim = { allowed: boolean; release(): Promise<void> };

export type AttemptLimiter = {
  /** takes a slot under every limit, or none at all when any limit is used up */
  take(limits: readonly Limit[]): Promise<Claim>;
  /** forgets a key's attempts, e.g. an e-mail's failures after it logs in */
  forget(key: string): Promise<void>;
};

const slotId = (key: string, window: number, n: number) => `${key}#${window}#${n}`;

export function createAttemptLimiter(connection: Connection, clock: () => Date = () => new Date()): AttemptLimiter {
  const attempts = () => connection.collection<Attempt>(ATTEMPTS_COLLECTION);

  const insertSlot = (doc: Attempt): Promise<boolean> => insertOnce(() => attempts().insertOne(doc));

  /** The id of the slot taken for `limit` in the current window, or undefined when all of them are held. */
  async function takeSlot(limit: Limit, now: Date): Promise<string | undefined> {
    const window = Math.floor(now.getTime() / limit.windowMs);
    const held = new Set<string>();
    for (const d of await attempts().find({ key: limit.key }, { projection: { _id: 1 } }).toArray()) held.add(d._id);
    const expiresAt = new Date((window + 1) * limit.windowMs);
    for (let n = 0; n < limit.max; n++) {
      const _id = slotId(limit.key, window, n);
      if (held.has(_id)) continue;
      if (await insertSlot({ _id, key: limit.key, at: now, expiresAt })) return _id;
    }
    return undefined;
  }

  const releaseAll = async (ids: string[]) => {
    if (ids.length > 0) await attempts().deleteMany({ _id: { $in: ids } });
  };

  return {
    async take(limits) {
      const now = clock();
      const taken: string[] = [];
      for (const limit of limits) {
        const id = await takeSlot(limit, now);
        if (!id) {
          await releaseAll(taken);
          return { allowed: false, release: async () => {} };
        }
        taken.push(id);
      }
      return { allowed: true, release: () => releaseAll(taken) };
    },
    async forget(key) {
      await attempts().deleteMany({ key });
    },
  };
}

export async function createAttemptIndexes(connection: Connection): Promise<void> {
  await connection.collection(ATTEMPTS_COLLECTION).createIndex({ key: 1, at: 1 });
  await connection.collection(ATTEMPTS_COLLECTION).createIndex({ expiresAt: 1 });
}

export async function purgeExpiredAttempts(connection: Connection, now = new Date()): Promise<number> {
  const result = await connection.collection(ATTEMPTS_COLLECTION).deleteMany({ expiresAt: { $lt: now } });
  return result.deletedCount;
}

/**
 * The client address to count attempts against: an IPv4 address as is (also when IPv6-mapped),
 * an IPv6 address by its /64 network, since one subscriber usually holds a whole /64.
 */
export function ipBucket(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.parse(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  return `${v6.parts
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}
