import crypto from 'node:crypto';

/**
 * Signatures for values the platform hands out and takes back without storing them (a one-click
 * unsubscribe link, the quiz form's copy of its attempt): HMAC-SHA256 in base64url, under a key
 * derived from the session secret for one purpose alone, so a signature made for one use is worth
 * nothing for another. `length` shortens the signature (a link's), whole otherwise (43 characters).
 */
export function signerFor(secret: string, purpose: string, length = 43) {
  const key = crypto.createHmac('sha256', secret).update(purpose).digest();
  const sign = (payload: string) => crypto.createHmac('sha256', key).update(payload).digest('base64url').slice(0, length);
  return {
    sign,
    /** whether `signature` is this payload's, compared in constant time */
    verifies(payload: string, signature: string): boolean {
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      return expected.length === given.length && crypto.timingSafeEqual(expected, given);
    },
  };
}
