/**
 * Paths whose last part is a secret: a password-reset link's token works as a password for an
 * hour. Certificate and verification codes are less secret, but they are the holder's to share.
 */
const SECRET_SEGMENT = /^(\/password\/reset\/|\/verify\/|\/certificates\/)[^/?#]+/;
/** Query parameters that carry a token or a code (a join link's `code`, say). */
const SECRET_PARAMS = new Set(['token', 'code', 'key', 'secret', 'password', '_csrf']);

/** The URL as it may be written to a log: secrets in the path or the query replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).replace(SECRET_SEGMENT, '$1[redacted]');
  if (q === -1) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // a broken escape in a name is logged as it came
      }
      return SECRET_PARAMS.has(decoded.toLowerCase()) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}
