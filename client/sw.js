/*
 * The service worker: modules a reader saved open offline, and "mark as complete" pressed offline is
 * queued and sent when the connection returns. Workbox does the routing, the network-first reads and
 * the queue (kept in IndexedDB); this file only says what to keep. Bundled by `npm run build:sw`.
 */
import { Queue } from 'workbox-background-sync';
import { registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';

const SAVED = 'sdg-saved-v1';
const matchOptions = { ignoreVary: true };

async function tellPages(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) client.postMessage(message);
}

/**
 * Sends the queued completions in order; one that still cannot reach the server stays queued, and
 * the pages are told so they can ask again later (see public/js/offline.js).
 */
async function replay(queue) {
  const sent = [];
  let failed = false;
  for (let entry = await queue.shiftRequest(); entry; entry = await queue.shiftRequest()) {
    try {
      await fetch(entry.request.clone());
      sent.push(new URL(entry.request.url).pathname);
    } catch {
      await queue.unshiftRequest(entry);
      failed = true;
      break;
    }
  }
  if (sent.length > 0) await tellPages({ type: 'replayed', paths: sent });
  if (failed) await tellPages({ type: 'replay-failed' });
}

// Shifting an entry off the queue is two IndexedDB steps, so two replays at once (two open pages, or
// a page's start-up and its 'online' event) could both send the same completion: run one at a time.
let replaying = null;
function replayOnce(queue) {
  replaying ??= replay(queue).finally(() => {
    replaying = null;
  });
  return replaying;
}

// No Background Sync registration: replays happen when a page says it is online, and at start-up.
const completions = new Queue('lesson-completions', {
  forceSyncFallback: true,
  maxRetentionTime: 14 * 24 * 60,
  onSync: ({ queue }) => replayOnce(queue),
});

/** Only pages the reader saved are kept fresh; nothing else is stored. */
const onlySaved = {
  cacheWillUpdate: async ({ request, response }) => {
    if (response?.status !== 200) return null;
    const saved = await (await caches.open(SAVED)).match(request, matchOptions);
    return saved ? response : null;
  },
};

registerRoute(
  ({ request, url }) => request.method === 'GET' && url.origin === self.location.origin,
  new NetworkFirst({ cacheName: SAVED, plugins: [onlySaved], matchOptions }),
);

registerRoute(
  ({ url }) => url.origin === self.location.origin && /^\/modules\/[^/]+\/lessons\/[^/]+\/complete$/.test(url.pathname),
  async ({ request, url }) => {
    try {
      return await fetch(request.clone());
    } catch {
      await completions.pushRequest({ request });
      await tellPages({ type: 'queued', path: url.pathname });
      return Response.redirect(url.pathname.replace(/\/complete$/, ''), 303);
    }
  },
  'POST',
);

self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type === 'save' && Array.isArray(data.urls)) {
    const urls = data.urls.filter((u) => typeof u === 'string' && u.startsWith('/'));
    event.waitUntil(
      caches
        .open(SAVED)
        .then((cache) => cache.addAll(urls))
        .then(
          () => event.source?.postMessage({ type: 'saved' }),
          () => event.source?.postMessage({ type: 'save-failed' }),
        ),
    );
  } else if (data.type === 'replay') {
    event.waitUntil(replayOnce(completions));
  } else if (data.type === 'pending') {
    event.waitUntil(
      completions.getAll().then((entries) => event.source?.postMessage({ type: 'pending', paths: entries.map((e) => new URL(e.request.url).pathname) })),
    );
  }
});

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
