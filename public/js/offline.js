/*
 * Reading offline, as an enhancement: registers the service worker, offers "Save for offline" on a
 * module page, shows a banner while the connection is gone, and marks a lesson whose completion is
 * waiting to be sent. Without JavaScript none of this appears and every page works as before.
 */
(() => {
  if (!('serviceWorker' in navigator)) return;
  const banner = document.querySelector('[data-offline-banner]');
  const showConnection = () => {
    if (banner) banner.hidden = navigator.onLine;
  };
  const completeForm = document.querySelector('form[action$="/complete"]');
  const completePath = completeForm && new URL(completeForm.action).pathname;

  navigator.serviceWorker.register('/sw.js').catch(() => {});
  const send = (message) => navigator.serviceWorker.ready.then((r) => r.active?.postMessage(message));

  // 'online' can reach this page before the connection is back for the service worker, or while the
  // server is still out of reach: a replay that failed is asked for again, less often each time.
  const firstRetry = 2000;
  let retryDelay = firstRetry;
  let retryTimer = 0;
  const retryLater = () => {
    if (retryTimer || !navigator.onLine) return;
    retryTimer = setTimeout(() => {
      retryTimer = 0;
      send({ type: 'replay' });
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  };

  navigator.serviceWorker.addEventListener('message', (event) => {
    const data = event.data || {};
    const status = document.querySelector('[data-offline-save-status]');
    if (data.type === 'saved' && status) status.textContent = status.dataset.saved;
    if (data.type === 'save-failed' && status) status.textContent = status.dataset.failed;
    if (data.type === 'pending' && completePath && data.paths.includes(completePath)) {
      const queued = document.querySelector('[data-offline-queued]');
      if (queued) queued.hidden = false;
      completeForm.hidden = true;
    }
    // the queued completion reached the server: show the page as the server now sees it
    if (data.type === 'replayed' && completePath && data.paths.includes(completePath)) location.reload();
    if (data.type === 'replay-failed') retryLater();
  });

  const save = document.querySelector('[data-offline-save]');
  if (save) {
    save.hidden = false;
    save.querySelector('button').addEventListener('click', () => {
      const status = save.querySelector('[data-offline-save-status]');
      status.textContent = status.dataset.saving;
      send({ type: 'save', urls: JSON.parse(save.dataset.urls) });
    });
  }

  addEventListener('online', () => {
    showConnection();
    retryDelay = firstRetry;
    send({ type: 'replay' });
  });
  addEventListener('offline', showConnection);
  showConnection();
  send({ type: navigator.onLine ? 'replay' : 'pending' });
  if (navigator.onLine) send({ type: 'pending' });
})();
