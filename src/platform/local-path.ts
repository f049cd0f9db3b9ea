/** A stand-in origin: what matters is whether a path, resolved as a browser would, stays on it. */
const SITE = 'http://site.invalid';

/**
 * Returns `value` when it is a path on this site, else `fallback`. Used for every `next`
 * redirect, so a link like `/login?next=//evil.example` cannot send a user elsewhere.
 *
 * The value is resolved against the site's origin the way a browser resolves a `Location`, and the
 * normalised path is what we redirect to. That path is then checked once more: dot segments
 * (`/.//evil.example`, `/%2e//evil.example`) can normalise into `//evil.example`, which a browser
 * reads as another host; so the result must itself resolve to the very same URL on this site.
 * Backslashes and control characters are refused outright (browsers read `/\host` as `//host`
 * and drop tabs and line breaks).
 */
export function safeLocalPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return fallback;
  if (!value.startsWith('/') || value.startsWith('//')) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return fallback;
  const url = parse(value);
  if (!url || url.origin !== SITE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return fallback;
  const again = parse(path);
  if (!again || again.origin !== SITE || again.href !== url.href) return fallback;
  return path;
}

function parse(value: string): URL | undefined {
  try {
    return new URL(value, SITE);
  } catch {
    return undefined;
  }
}
