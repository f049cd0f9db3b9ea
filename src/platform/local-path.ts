const BASE = 'http://local.invalid';

/**
 * Returns `value` when it is a path on this site, else `fallback`. Used for every `next`
 * redirect, so a link like `/login?next=//evil.example` cannot send a user elsewhere: browsers
 * read `//host`, `/\host` and `\\host` as other sites, and control characters can hide them.
 */
export function safeLocalPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return fallback;
  if (!value.startsWith('/') || value.startsWith('//')) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
