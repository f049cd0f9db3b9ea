import type { RequestHandler } from 'express';
import { type AttemptLimiter, ipBucket } from './attempt-limiter';
import { TooManyRequestsError } from './errors';

export type PostCap = { max: number; windowMs: number };

/**
 * A learner posts a few forms a minute; a whole workshop behind one address, a few a second. Past
 * that, one client is using the platform as a CPU (password hashing, grading, PDF rendering): this
 * coarse cap per address stops it before the body is read. The finer limits (logins, sign-ups,
 * reset links) are the services' own.
 */
export const DEFAULT_POST_CAP: PostCap = { max: 1200, windowMs: 5 * 60_000 };

export function capPostsPerAddress(limiter: AttemptLimiter, cap: PostCap = DEFAULT_POST_CAP): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'POST') return next();
    const admitted = await limiter.admit({ key: `post:ip:${ipBucket(req.ip ?? '')}`, ...cap });
    if (admitted) return next();
    res.setHeader('Retry-After', String(Math.ceil(cap.windowMs / 1000)));
    throw new TooManyRequestsError();
  };
}
