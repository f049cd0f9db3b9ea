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
 * Mounts features' routers, in order, so that a request passes by at once every router none of whose
 * routes could match it. Every request used to be tried against each route of every feature mounted
 * before the one that serves it (about fifty for a quiz submission), and went through one layer of
 * the app per router. The check is a superset of Express's own: a route can match only a path that
 * starts with the route's literal text, in any case, and each router itself still decides. A router
 * with middleware of its own, or a path that is not a string, is always entered. The prefixes are
 * read at the first request, once every route has been added.
 */
export function byPrefix(...routers: Router[]): RequestHandler {
  const mounted = routers.map((router) => ({ router, prefixes: undefined as string[] | null | undefined }));
  return function routersByPrefix(req: Request, res: Response, next: NextFunction) {
    const path = req.path.toLowerCase();
    let i = 0;
    const step = (err?: unknown) => {
      // an error goes on to the app's error handlers, as it would from a router mounted plainly
      if (err !== undefined && err !== null) return next(err);
      while (i < mounted.length) {
        const m = mounted[i++]!;
        if (m.prefixes === undefined) m.prefixes = prefixesOf(m.router);
        if (m.prefixes === null || m.prefixes.some((prefix) => path.startsWith(prefix))) return m.router(req, res, step);
      }
      next();
    };
    step();
  };
}
