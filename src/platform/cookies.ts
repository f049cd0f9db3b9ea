import cookieParser from 'cookie-parser';
import type { RequestHandler } from 'express';

/**
 * cookie-parser turns a value written `j:{…}` into an object, and express-session (and i18next)
 * call string methods on what they find there: one crafted cookie was a 500 on every page. We
 * write no JSON cookies, so every cookie that is not a plain string is dropped.
 */
export function plainCookies(): RequestHandler[] {
  const onlyStrings: RequestHandler = (req, _res, next) => {
    for (const jar of [req.cookies, req.signedCookies] as Record<string, unknown>[]) {
      if (!jar) continue;
      for (const name of Object.keys(jar)) if (typeof jar[name] !== 'string') delete jar[name];
    }
    next();
  };
  return [cookieParser(), onlyStrings];
}
