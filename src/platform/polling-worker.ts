/**
 * Runs `deliverDue` now and then again `pollMs` after each run ends (never two at once), until
 * stopped; `stop` waits for the run in progress. The mail outbox and the delivery queues share it.
 */
export function pollingWorker(deliverDue: () => Promise<unknown>, options: { pollMs: number; onError: (err: unknown) => void }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = true;
  const tick = () => {
    running = deliverDue()
      .catch(options.onError)
      .finally(() => {
        if (stopped) return;
        timer = setTimeout(tick, options.pollMs);
        timer.unref();
      });
  };
  return {
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(tick, 0);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
