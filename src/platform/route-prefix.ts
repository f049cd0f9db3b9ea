import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';

type Layer = { route?: { path: unknown } };

// where an Express 5 route path stops being literal text (a parameter, a wildcard, an optional part
// or an escape); characters path-to-regexp reserves are counted too, to stay on the safe side
const NOT_LITERAL = /[:*{}()[\]?+!\\]/;

/**
 * What a path must look like for the route to match it, lower-cased (routes match regardless of
 * case by default): a path with a parameter must start with the text before it; a path that is all
 * text must be that text, give or take trailing slashes.
 */
type Guard = { text: string; whole: boolean };

function guardOf(path: string): Guard {
  const end = path.search(NOT_LITERAL);
  return end === -1 ? { text: withoutTrailingSlashes(path.toLowerCase()), whole: true } : { text: path.slice(0, end).toLowerCase(), whole: false };
}

const withoutTrailingSlashes = (path: string) => path.replace(/\/+$/, '');

const admits = (g: Guard, path: string) => (g.whole ? withoutTrailingSlashes(path) === g.text : path.startsWith(g.text));

/** The guards of every route of a router; null when it has middleware or a pattern we do not read. */
function guardsOf(router: Router): Guard[] | null {
  const guards: Guard[] = [];
  for (const layer of router.stack as Layer[]) {
    if (!layer.route) return null;
    for (const path of [layer.route.path].flat()) {
      if (typeof path !== 'string') return null;
      guards.push(guardOf(path));
    }
  }
  return guards;
}

/**
 * Mounts features' routers, in order, so that a request passes by at once every router none of whose
 * routes could match it. Every request used to be tried against each route of every feature mounted
 * before the one that serves it (about fifty for a quiz submission), and went through one layer of
 * the app per router. The check is a superset of Express's own: a route can match only a path that
 * starts with the route's literal text (or is that text, for a route without parameters), in any
 * case, and each router itself still decides. A router with middleware of its own, or a path that
 * is not a string, is always entered. The guards are read at the first request, once every route
 * has been added.
 */
export function byPrefix(...routers: Router[]): RequestHandler {
  const mounted = routers.map((router) => ({ router, guards: undefined as Guard[] | null | undefined }));
  return function routersByPrefix(req: Request, res: Response, next: NextFunction) {
    const path = req.path.toLowerCase();
    let i = 0;
    const step = (err?: unknown) => {
      // an error goes on to the app's error handlers, as it would from a router mounted plainly
      if (err !== undefined && err !== null) return next(err);
      while (i < mounted.length) {
        const m = mounted[i++]!;
        if (m.guards === undefined) m.guards = guardsOf(m.router);
        if (m.guards === null || m.guards.some((g) => admits(g, path))) return m.router(req, res, step);
      }
      next();
    };
    step();
  };
}
