import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { csrfSync } from 'csrf-sync';
import helmet from 'helmet';

/**
 * Helmet with a CSP that allows no inline script or style: everything comes from our own origin.
 * HSTS and upgrade-insecure-requests only on an https site: on plain HTTP the upgrade would send the
 * browser to fetch our CSS over a TLS port nobody listens on.
 */
export function securityHeaders(options: { https: boolean }): RequestHandler {
  const { https } = options;
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: https,
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * Synchronizer-token CSRF protection: the token lives in the session and must come back in the
 * `_csrf` form field or the `x-csrf-token` header on every state-changing request.
 *
 * A multipart form's fields are parsed only by its own route (multer), after `protect` has run: the
 * POST paths in `multipartPaths` (exact, or a pattern for paths with an id) are let through `protect`
 * when multipart, and their routes must call `verifyParsedForm` right after multer. Any other
 * multipart request is checked here as usual.
 */
export function createCsrf(options: { multipartPaths?: readonly (string | RegExp)[] } = {}) {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req: Request) => {
      const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
      if (typeof fromBody === 'string') return fromBody;
      const fromHeader = req.headers['x-csrf-token'];
      return typeof fromHeader === 'string' ? fromHeader : undefined;
    },
  });
  /** Views call `csrfToken()` only where they draw a form, so pages without forms start no session. */
  const exposeToken = (req: Request, res: Response, next: NextFunction) => {
    res.locals.csrfToken = () => generateToken(req);
    next();
  };
  const deferred = options.multipartPaths ?? [];
  const isDeferred = (path: string) => deferred.some((p) => (typeof p === 'string' ? p === path : p.test(path)));
  const protect = (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'POST' && isDeferred(req.path) && req.is('multipart/form-data')) {
      next();
      return;
    }
    csrfSynchronisedProtection(req, res, next);
  };
  return { protect, exposeToken, generateToken, verifyParsedForm: csrfSynchronisedProtection };
}
