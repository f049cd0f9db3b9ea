import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import { isDuplicateKey } from './database';
import type { Logger } from './logger';
import { pollingWorker } from './polling-worker';
import { DEFAULT_RETRY, type RetryPolicy, retryDelay } from './outbox';

/**
 * A durable queue of things to send to another server (xAPI statements, LTI scores), built like the
 * mail outbox (outbox.ts): each item is inserted once under an id fixed when it is made, so queuing
 * the same item twice keeps one; a worker claims each send attempt by inserting `<id>:<n>` into the
 * attempts collection (the primary key decides races on MongoDB and FerretDB alike), and retries
 * with back-off. The payload is never rewritten; only the delivery bookkeeping beside it changes.
 */
export type DeliveryState = 'queued' | 'sent' | 'failed';

export type DeliveryItem<P> = {
  _id: string;
  payload: P;
  /** a short label for the admins' page, e.g. the verb and object of a statement */
  label: string;
  state: DeliveryState;
  createdAt: Date;
  attempts: number;
  nextAttemptAt: Date;
  sentAt?: Date;
  lastError?: string;
};
type AttemptDoc = { _id: string; itemId: string; n: number; worker: string; startedAt: Date; outcome: 'sending' | 'sent' | 'failed'; error?: string };

export type DeliveryQueue<P> = {
  /** Queues the item; false when an item with this id is already queued (or sent). */
  enqueue(id: string, payload: P, label: string, options?: { failed?: string }): Promise<boolean>;
  createIndexes(): Promise<void>;
  /** counts per state and the latest failed and waiting items, for the admins' page */
  report(limit?: number): Promise<{ counts: Record<DeliveryState, number>; failed: DeliveryItem<P>[]; waiting: DeliveryItem<P>[] }>;
  items(): ReturnType<Connection['collection']>;
  attempts(): ReturnType<Connection['collection']>;
};

export function createDeliveryQueue<P>(connection: Connection, name: string, clock: () => Date = () => new Date()): DeliveryQueue<P> {
  const items = () => connection.collection(name);
  const attempts = () => connection.collection(`${name}_attempts`);
  return {
    items,
    attempts,
    async enqueue(id, payload, label, options) {
      const now = clock();
      const doc = {
        _id: id,
        payload,
        label,
        state: options?.failed ? 'failed' : 'queued',
        createdAt: now,
        attempts: 0,
        nextAttemptAt: now,
        ...(options?.failed ? { lastError: options.failed } : {}),
      };
      try {
        await items().insertOne(doc as never);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async createIndexes() {
      await items().createIndex({ state: 1, nextAttemptAt: 1 });
      await attempts().createIndex({ itemId: 1 });
    },
    async report(limit = 50) {
      const counts = { queued: 0, sent: 0, failed: 0 } as Record<DeliveryState, number>;
      for (const state of Object.keys(counts) as DeliveryState[]) counts[state] = await items().countDocuments({ state });
      const list = (state: DeliveryState) =>
        items().find({ state }).sort({ state: 1, nextAttemptAt: -1 }).limit(limit).toArray() as unknown as Promise<DeliveryItem<P>[]>;
      return { counts, failed: await list('failed'), waiting: await list('queued') };
    },
  };
}

export type DeliveryWorker = {
  /** tries every item that is due now; resolves with how many it tried */
  deliverDue(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
};

export function createDeliveryWorker<P>(options: {
  queue: DeliveryQueue<P>;
  /** sends one item; throws when it was not accepted */
  send(payload: P, id: string): Promise<void>;
  logger: Logger;
  what: string;
  retry?: RetryPolicy;
  pollMs?: number;
  leaseMs?: number;
  clock?: () => Date;
}): DeliveryWorker {
  const { queue, logger, what } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const pollMs = options.pollMs ?? 2000;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const clock = options.clock ?? (() => new Date());
  const worker = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;

  async function claim(item: DeliveryItem<P>): Promise<number | undefined> {
    for (let n = item.attempts; n < item.attempts + 3; n++) {
      const now = clock();
      try {
        await queue.attempts().insertOne({ _id: `${item._id}:${n}`, itemId: item._id, n, worker, startedAt: now, outcome: 'sending' } as never);
        return n;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const held = (await queue.attempts().findOne({ _id: `${item._id}:${n}` } as never)) as AttemptDoc | null;
      if (held?.outcome !== 'sending' || held.startedAt.getTime() > now.getTime() - leaseMs) return undefined;
      logger.warn({ id: item._id, attempt: n }, `${what}: attempt abandoned by a stopped worker; trying again`);
    }
    return undefined;
  }

  async function deliver(item: DeliveryItem<P>): Promise<void> {
    const n = await claim(item);
    if (n === undefined) return;
    const attemptId = `${item._id}:${n}`;
    try {
      await options.send(item.payload, item._id);
    } catch (err) {
      const error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      const failures = n + 1;
      const final = failures >= retry.maxAttempts;
      await queue.attempts().updateOne({ _id: attemptId } as never, { $set: { outcome: 'failed', finishedAt: clock(), error } });
      await queue.items().updateOne({ _id: item._id } as never, {
        $set: { state: final ? 'failed' : 'queued', attempts: failures, nextAttemptAt: new Date(clock().getTime() + retryDelay(retry, failures)), lastError: error },
      });
      logger[final ? 'error' : 'warn']({ id: item._id, attempt: n, error }, final ? `${what}: given up after its last attempt` : `${what}: not sent; it will be retried`);
      return;
    }
    await queue.attempts().updateOne({ _id: attemptId } as never, { $set: { outcome: 'sent', finishedAt: clock() } });
    await queue.items().updateOne({ _id: item._id } as never, { $set: { state: 'sent', attempts: n + 1, sentAt: clock() } });
  }

  async function deliverDue(): Promise<number> {
    const due = (await queue
      .items()
      .find({ state: 'queued', nextAttemptAt: { $lte: clock() } })
      .sort({ state: 1, nextAttemptAt: 1 })
      .limit(50)
      .toArray()) as unknown as DeliveryItem<P>[];
    for (const item of due) await deliver(item);
    return due.length;
  }

  const polling = pollingWorker(deliverDue, { pollMs, onError: (err) => logger.warn({ err }, `${what}: could not deliver (will try again)`) });
  return { deliverDue, start: polling.start, stop: polling.stop };
}
