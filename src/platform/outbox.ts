import crypto from 'node:crypto';
import { type Binary, ObjectId } from 'mongodb';
import type { Connection } from 'mongoose';
import { isDuplicateKey } from './database';
import type { Logger } from './logger';
import { pollingWorker } from './polling-worker';
import type { MailMessage, Mailer } from './mailer';

/**
 * Every e-mail is written here first, and sent by a worker that runs in each server process: a
 * request's answer never waits for, or depends on, a mail server.
 *
 * `outbox_messages` holds one document per message; `outbox_attempts` one per send attempt, whose
 * `_id` is `<messageId>:<n>`. A worker may send attempt n of a message only after inserting that
 * document: the primary key lets exactly one worker (of any instance) have it, on MongoDB and on
 * FerretDB (whose read-modify-write updates cannot be trusted to decide a race). The claimant is the
 * only writer of the message while it holds the attempt. An attempt still "sending" after `leaseMs`
 * belonged to a worker that died; the next number is claimed in its place (so a message can go out
 * twice only when a process dies between the server's acceptance and our record of it).
 */
export const OUTBOX_MESSAGES = 'outbox_messages';
export const OUTBOX_ATTEMPTS = 'outbox_attempts';

export type OutboxState = 'queued' | 'sent' | 'failed';

type StoredAttachment = { filename: string; content: Buffer | Binary; contentType?: string };
type MessageDoc = {
  _id: ObjectId;
  to: string;
  subject: string;
  text?: string;
  html?: string;
  attachments?: StoredAttachment[];
  headers?: Record<string, string>;
  state: OutboxState;
  createdAt: Date;
  /** attempts made so far: the next one is number `attempts` */
  attempts: number;
  nextAttemptAt: Date;
  sentAt?: Date;
  lastError?: string;
};
type AttemptDoc = {
  _id: string;
  messageId: ObjectId;
  n: number;
  worker: string;
  startedAt: Date;
  outcome: 'sending' | 'sent' | 'failed';
  finishedAt?: Date;
  error?: string;
};

export type RetryPolicy = {
  /** the wait after the first failure; it doubles after each further one, up to `maxDelayMs` */
  firstDelayMs: number;
  maxDelayMs: number;
  /** attempts before the message is marked failed */
  maxAttempts: number;
};

/** About an hour and a half of retries (30 s, 1, 2, 4, 8, 16, 30, 30 min) before a message is given up. */
export const DEFAULT_RETRY: RetryPolicy = { firstDelayMs: 30_000, maxDelayMs: 30 * 60_000, maxAttempts: 9 };

export function retryDelay(policy: RetryPolicy, failures: number): number {
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, failures - 1));
}

const messages = (connection: Connection) => connection.collection<MessageDoc>(OUTBOX_MESSAGES);
const attemptsOf = (connection: Connection) => connection.collection<AttemptDoc>(OUTBOX_ATTEMPTS);

/** The mailer the features use: `send` only queues the message. */
export function createOutbox(connection: Connection, clock: () => Date = () => new Date()): Mailer {
  return {
    outboxDir: undefined,
    async send(message: MailMessage) {
      const now = clock();
      await messages(connection).insertOne({
        _id: new ObjectId(),
        to: message.to,
        subject: message.subject,
        ...(message.text ? { text: message.text } : {}),
        ...(message.html ? { html: message.html } : {}),
        ...(message.attachments?.length ? { attachments: message.attachments } : {}),
        ...(message.headers ? { headers: message.headers } : {}),
        state: 'queued',
        createdAt: now,
        attempts: 0,
        nextAttemptAt: now,
      });
    },
  };
}

export async function createOutboxIndexes(connection: Connection): Promise<void> {
  await messages(connection).createIndex({ state: 1, nextAttemptAt: 1 });
  await attemptsOf(connection).createIndex({ messageId: 1 });
}

export type OutboxWorker = {
  /** sends every message that is due now; resolves with how many it tried */
  deliverDue(): Promise<number>;
  start(): void;
  /** stops polling and waits for the sends in progress */
  stop(): Promise<void>;
};

export function createOutboxWorker(options: {
  connection: Connection;
  /** the real sender: SMTP, or files in DATA_DIR/outbox without SMTP_URL */
  transport: Mailer;
  logger: Logger;
  retry?: RetryPolicy;
  pollMs?: number;
  leaseMs?: number;
  clock?: () => Date;
}): OutboxWorker {
  const { connection, transport, logger } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const pollMs = options.pollMs ?? 2000;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const clock = options.clock ?? (() => new Date());
  const worker = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;

  /** Inserts the attempt to make, or returns undefined when another worker has it. */
  async function claim(message: MessageDoc): Promise<number | undefined> {
    for (let n = message.attempts; n < message.attempts + 3; n++) {
      const now = clock();
      try {
        await attemptsOf(connection).insertOne({ _id: `${message._id}:${n}`, messageId: message._id, n, worker, startedAt: now, outcome: 'sending' });
        return n;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const held = await attemptsOf(connection).findOne({ _id: `${message._id}:${n}` });
      // another worker is sending it, or has just finished and is writing the message down
      if (held?.outcome !== 'sending' || held.startedAt.getTime() > now.getTime() - leaseMs) return undefined;
      logger.warn({ messageId: String(message._id), attempt: n, worker: held.worker }, 'e-mail attempt abandoned by a stopped worker; trying again');
    }
    return undefined;
  }

  async function deliver(message: MessageDoc): Promise<void> {
    const n = await claim(message);
    if (n === undefined) return;
    const id = `${message._id}:${n}`;
    try {
      await transport.send({
        to: message.to,
        subject: message.subject,
        text: message.text ?? '',
        ...(message.html ? { html: message.html } : {}),
        ...(message.headers ? { headers: message.headers } : {}),
        ...(message.attachments
          ? { attachments: message.attachments.map((a) => ({ ...a, content: Buffer.isBuffer(a.content) ? a.content : Buffer.from(a.content.buffer) })) }
          : {}),
      });
    } catch (err) {
      const error = err instanceof Error ? err.message.slice(0, 500) : String(err);
      const failures = n + 1;
      const final = failures >= retry.maxAttempts;
      await attemptsOf(connection).updateOne({ _id: id }, { $set: { outcome: 'failed', finishedAt: clock(), error } });
      await messages(connection).updateOne(
        { _id: message._id },
        {
          $set: {
            state: final ? 'failed' : 'queued',
            attempts: failures,
            nextAttemptAt: new Date(clock().getTime() + retryDelay(retry, failures)),
            lastError: error,
          },
        },
      );
      const log = { messageId: String(message._id), attempt: n, error };
      if (final) logger.error(log, 'e-mail given up after its last attempt');
      else logger.warn(log, 'e-mail not sent; it will be retried');
      return;
    }
    await attemptsOf(connection).updateOne({ _id: id }, { $set: { outcome: 'sent', finishedAt: clock() } });
    // what was sent can hold secrets (a reset link): once sent, only the envelope is kept
    await messages(connection).updateOne(
      { _id: message._id },
      { $set: { state: 'sent', attempts: n + 1, sentAt: clock() }, $unset: { text: '', html: '', attachments: '' } },
    );
  }

  async function deliverDue(): Promise<number> {
    const due = await messages(connection)
      .find({ state: 'queued', nextAttemptAt: { $lte: clock() } })
      .sort({ nextAttemptAt: 1 })
      .limit(20)
      .toArray();
    for (const message of due) await deliver(message);
    return due.length;
  }

  const polling = pollingWorker(deliverDue, { pollMs, onError: (err) => logger.warn({ err }, 'outbox: could not deliver (will try again)') });
  return { deliverDue, start: polling.start, stop: polling.stop };
}

export type OutboxEntry = { id: string; to: string; subject: string; state: OutboxState; createdAt: Date; attempts: number; lastError?: string };

/** Messages the worker gave up on, newest first, for the admins' page. */
export async function listFailedMail(connection: Connection, limit = 100): Promise<{ entries: OutboxEntry[]; queued: number }> {
  const docs = await messages(connection).find({ state: 'failed' }, { projection: { text: 0, html: 0, attachments: 0 } }).limit(limit).toArray();
  const queued = await messages(connection).countDocuments({ state: 'queued' });
  const entries = docs
    .map((d) => ({ id: String(d._id), to: d.to, subject: d.subject, state: d.state, createdAt: d.createdAt, attempts: d.attempts, lastError: d.lastError }))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  return { entries, queued };
}
