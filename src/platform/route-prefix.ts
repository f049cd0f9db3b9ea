import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';

type Layer = { route?: { path: unknown } };

// where an Express 5 route path stops being literal text (a parameter, a wildcard, an optional part
// or an escape); characters path-to-regexp reserves are counted too, to stay on the safe side
const NOT_LITERAL = /[:*{}()[\]?+!\\]/;

/** The literal start of a route path, lower-cased: routes match regardless of case by default. */
function literalStart(path: string): string {
  const end = path.search(NOT_LITERAL);
  return (end === -1 ? path : path.slice(0, end)).toLowerCase();
}

/** The literal starts of every route of a router; null when it has middleware or a pattern we do not read. */
function prefixesOf(router: Router): string[] | null {
  const prefixes = new Set<string>();
  for (const layer of router.stack as Layer[]) {
    if (!layer.route) return null;
    for (const path of [layer.route.path].flat()) {
      if (typeof path !== 'string') return null;
      prefixes.add(literalStart(path));
    }
  }
  return [...prefixes];
}

/**
 * Mounts a feature's router so that a request none of its routes could match passes it by at once.
 * Every request used to be tried against each route of every feature mounted before the one that
 * serves it (about fifty for a quiz submission). The check is a superset of Express's own: a route
 * can match only a path that starts with the route's literal text, in any case, and the router itself
 * still decides. A router with middleware of its own, or a path that is not a string, is not guarded.
 * The prefixes are read at the first request, once every route has been added.
 */
export function byPrefix(router: Router): RequestHandler {
  let prefixes: string[] | null | undefined;
  return function routerByPrefix(req: Request, res: Response, next: NextFunction) {
    if (prefixes === undefined) prefixes = prefixesOf(router);
    if (prefixes === null) return router(req, res, next);
    const path = req.path.toLowerCase();
    for (const prefix of prefixes) if (path.startsWith(prefix)) return router(req, res, next);
    next();
  };
}
