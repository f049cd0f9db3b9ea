import fs from 'node:fs';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { createLogger } from '../../src/platform/logger';
import { createMailer } from '../../src/platform/mailer';
import { createOutboxWorker } from '../../src/platform/outbox';
import { testDataDir } from './build-app';

/** A message as the mailer wrote it to DATA_DIR/outbox (nodemailer's JSON transport). */
export type OutboxMessage = { to: { address: string }[]; from: { address: string; name: string }; subject: string; text: string };

const outbox = () => path.join(testDataDir(), 'outbox');

/**
 * Sends what the app queued, as the server's worker would, through the mailer that writes files
 * when there is no SMTP server.
 */
export async function deliverQueuedMail(connection: Connection): Promise<void> {
  const logger = createLogger('silent');
  const transport = createMailer({ from: 'SDG Learn <learn@example.org>', dataDir: testDataDir(), logger });
  await createOutboxWorker({ connection, transport, logger }).deliverDue();
}

/** The messages sent so far in this jest worker, oldest first (what was queued is delivered first). */
export async function readOutbox(connection: Connection): Promise<OutboxMessage[]> {
  await deliverQueuedMail(connection);
  if (!fs.existsSync(outbox())) return [];
  return fs
    .readdirSync(outbox())
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(outbox(), f), 'utf8')) as OutboxMessage);
}

/** The messages sent to one address. */
export async function mailTo(connection: Connection, address: string): Promise<OutboxMessage[]> {
  return (await readOutbox(connection)).filter((m) => m.to.some((t) => t.address === address));
}

export function clearOutbox(): void {
  fs.rmSync(outbox(), { recursive: true, force: true });
}
