import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { csrfSync } from 'csrf-sync';
import helmet from 'helmet';

/** Helmet with a CSP that allows no inline script or style: everything comes from our own origin. */
export function securityHeaders(production: boolean): RequestHandler {
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
        ...(production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: production,
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * Synchronizer-token CSRF protection: the token lives in the session and must come back in the
 * `_csrf` form field or the `x-csrf-token` header on every state-changing request.
 */
export function createCsrf() {
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
  return { protect: csrfSynchronisedProtection, exposeToken, generateToken };
}
