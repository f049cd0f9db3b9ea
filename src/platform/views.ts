import type { NextFunction, Request, Response } from 'express';
import { createFormatter } from './format';
import { currentLanguage, LANGUAGES } from './i18n';
import { can, type Right } from './roles';

/** Builds the link to the same page in another language, keeping the rest of the query. */
export function languageLink(req: Request, lng: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(req.query)) {
    if (key !== 'lng' && typeof value === 'string') params.append(key, value);
  }
  params.set('lng', lng);
  return `${req.path}?${params.toString()}`;
}

/** What every view may use: the translator, the language, the switcher links and the user. */
export function viewLocals(req: Request, res: Response, next: NextFunction) {
  const lng = currentLanguage(req);
  res.locals.t = req.t;
  res.locals.lng = lng;
  /** the platform's one date and number formatter (platform/format.ts), in the page's language */
  res.locals.fmt = createFormatter(lng);
  res.locals.currentPath = req.originalUrl;
  res.locals.pagePath = req.path;
  res.locals.user = req.user;
  /** whether the signed-in user's role holds a right (roles.ts), to show only links they may follow */
  res.locals.can = (right: Right) => can(req.user?.role, right);
  // built when a view reads them: a redirect or a JSON answer never does, and each link parses the query
  let links: { code: string; href: string; current: boolean }[] | undefined;
  Object.defineProperty(res.locals, 'languageLinks', {
    enumerable: true,
    configurable: true,
    get: () => {
      links ??= LANGUAGES.map((code) => ({ code, href: languageLink(req, code), current: code === lng }));
      return links;
    },
    // an error page sets its own (links to the home page)
    set: (value: typeof links) => {
      links = value;
    },
  });
  next();
}
