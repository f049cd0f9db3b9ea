import fs from 'node:fs';
import path from 'node:path';
import { testDataDir } from './build-app';

/** A message as the mailer wrote it to DATA_DIR/outbox (nodemailer's JSON transport). */
export type OutboxMessage = { to: { address: string }[]; from: { address: string; name: string }; subject: string; text: string };

const outbox = () => path.join(testDataDir(), 'outbox');

/** The messages "sent" so far in this jest worker, oldest first. */
export function readOutbox(): OutboxMessage[] {
  if (!fs.existsSync(outbox())) return [];
  return fs
    .readdirSync(outbox())
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(outbox(), f), 'utf8')) as OutboxMessage);
}

/** The messages sent to one address. */
export function mailTo(address: string): OutboxMessage[] {
  return readOutbox().filter((m) => m.to.some((t) => t.address === address));
}

export function clearOutbox(): void {
  fs.rmSync(outbox(), { recursive: true, force: true });
}
