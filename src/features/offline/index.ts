/**
 * Reading offline: the service worker (public/sw.js, bundled from client/sw.js with Workbox) is served
 * from the site's root so it may control every page; pages that offer offline reading load
 * /static/js/offline.js, which registers it.
 */
import path from 'node:path';
import { Router } from 'express';
import { publicDir } from '../../platform/paths';

export const OFFLINE_SCRIPT = '/static/js/offline.js';

/** What a page that can be read offline passes to its view: the script and the manifest link. */
export const offlinePage = { scripts: [OFFLINE_SCRIPT], offline: true } as const;

export function offlineRouter(): Router {
  const router = Router();
  /** GET /sw.js — the service worker, revalidated on every check so a new version takes over quickly */
  router.get('/sw.js', (_req, res) => {
    res.sendFile(path.join(publicDir, 'sw.js'), {
      headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache', 'Service-Worker-Allowed': '/' },
    });
  });
  return router;
}
