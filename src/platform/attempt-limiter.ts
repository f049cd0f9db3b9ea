import type { Connection } from 'mongoose';

/**
 * Limits repeated attempts (failed logins, reset requests) across every app instance.
 *
 * Why not rate-limiter-flexible's RateLimiterMongo or a counter store for express-rate-limit: they
 * keep one document per key and bump it with `$inc`, and FerretDB v1 (our local database) applies
 * an update as read-modify-write, so parallel failures for one e-mail overwrite each other and an
 * attacker who sends requests in parallel is under-counted; their expiry also leans on TTL indexes,
 * which FerretDB does not have. Instead each attempt is one inserted document: inserts are never
 * lost, counting them inside the window is an indexed range query that is exact on MongoDB and
 * FerretDB alike, and `purgeExpiredAttempts` deletes old ones on a timer.
 * A burst of parallel requests can still all pass the check before any is recorded; that bounds
 * the overshoot by the attacker's concurrency, not by time.
 */
export const ATTEMPTS_COLLECTION = 'attempts';

type Attempt = { key: string; at: Date; expiresAt: Date };

/** At most `max` attempts for `key` within the last `windowMs`. */
export type Limit = { key: string; max: number; windowMs: number };

export type AttemptLimiter = {
  /** true when any of the keys has used up its attempts */
  isLimited(limits: readonly Limit[]): Promise<boolean>;
  /** counts one attempt against each key */
  record(limits: readonly Limit[]): Promise<void>;
  /** forgets a key's attempts, e.g. an e-mail's failures after it logs in */
  forget(key: string): Promise<void>;
};

export function createAttemptLimiter(connection: Connection, clock: () => Date = () => new Date()): AttemptLimiter {
  const attempts = () => connection.collection<Attempt>(ATTEMPTS_COLLECTION);
  return {
    async isLimited(limits) {
      const now = clock().getTime();
      const counts = await Promise.all(
        limits.map((l) =>
          attempts().countDocuments({ key: l.key, at: { $gt: new Date(now - l.windowMs) } }, { limit: l.max }),
        ),
      );
      return counts.some((count, i) => count >= limits[i]!.max);
    },
    async record(limits) {
      if (limits.length === 0) return;
      const now = clock();
      await attempts().insertMany(
        limits.map((l) => ({ key: l.key, at: now, expiresAt: new Date(now.getTime() + l.windowMs) })),
      );
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
  const address = ip.split('%')[0]!.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

