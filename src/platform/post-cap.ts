import type { RequestHandler } from 'express';
import { ipBucket } from './attempt-limiter';
import { TooManyRequestsError } from './errors';

export type PostCap = { max: number; windowMs: number };

/**
 * A learner posts a few forms a minute; a whole workshop behind one address, a few a second. Past
 * that, one client is using the platform as a CPU (password hashing, grading, PDF rendering): this
 * coarse cap per address stops it before the body is read. The finer limits (logins, sign-ups,
 * reset links) are the services' own, kept in the database so they hold across instances.
 *
 * This one is counted in the instance's memory, on purpose: what it protects is the CPU of the
 * instance that would do the work, so a count per instance is the right measure (with N instances
 * an address gets at most N × max posts through, each instance at most max). Kept in the database
 * it cost an insert and a count on every POST — more than grading a quiz — and it halved how many
 * submissions an instance could take. Node runs the check and the increment without yielding, so
 * bursts of parallel requests cannot slip past it.
 */
// 300 a minute still lets a room of 30 people behind one address each post a form every 6 seconds.
export const DEFAULT_POST_CAP: PostCap = { max: 300, windowMs: 60_000 };

// Addresses counted in one window: about 100 bytes each, so a flood of distinct addresses costs at
// most ~10 MB; past that, new addresses go uncounted until the window turns (one client cannot
// hold that many addresses, and refusing strangers would turn the cap against everyone).
const MAX_TRACKED = 100_000;

export function capPostsPerAddress(cap: PostCap = DEFAULT_POST_CAP, clock: () => number = Date.now): RequestHandler {
  // windows counted from the epoch, like the database limits: all counts start over together
  let window = -1;
  const counts = new Map<string, number>();
  return (req, res, next) => {
    if (req.method !== 'POST') return next();
    const now = Math.floor(clock() / cap.windowMs);
    if (now !== window) {
      window = now;
      counts.clear();
    }
    const key = ipBucket(req.ip ?? '');
    const count = (counts.get(key) ?? 0) + 1;
    if (count <= cap.max) {
      if (counts.size < MAX_TRACKED || counts.has(key)) counts.set(key, count);
      return next();
    }
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(((window + 1) * cap.windowMs - clock()) / 1000))));
    next(new TooManyRequestsError());
  };
}
