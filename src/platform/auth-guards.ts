import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from './errors';
import { safeLocalPath } from './local-path';
import { can, type Right } from './roles';

/**
 * Sends an anonymous visitor to log in and come back. Browsers get a redirect to
 * `/login?next=<this page>` (a GET page only: after a POST there is no page to come back to);
 * API clients asking for JSON get a 401.
 */
function toLogin(req: Request, res: Response) {
  if (req.accepts(['html', 'json']) === 'json') throw new UnauthorizedError();
  const next = req.method === 'GET' ? safeLocalPath(req.originalUrl, '') : '';
  res.setHeader('Cache-Control', 'no-store');
  res.redirect(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
}

/** Lets signed-in users through; sends everyone else to log in. */
export const requireLogin: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  if (req.user) {
    next();
    return;
  }
  toLogin(req, res);
};

/** Lets through users whose role holds `right` (see roles.ts); others get 403, anonymous users log in. */
export function requireRight(right: Right): RequestHandler {
  return (req, res, next) => {
    if (!req.user) {
      toLogin(req, res);
      return;
    }
    if (!can(req.user.role, right)) throw new ForbiddenError();
    next();
  };
}
