import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import { SMTPServer } from 'smtp-server';
import { createLogger } from '../../../src/platform/logger';
import { createMailer } from '../../../src/platform/mailer';
import { createOutboxWorker, OUTBOX_ATTEMPTS, OUTBOX_MESSAGES, type OutboxWorker } from '../../../src/platform/outbox';
import { agentFor, csrfFrom, decoded } from '../../helpers/build-app';
import { connectTestDatabase } from '../../helpers/database';
import { createUser } from '../../helpers/factories';
import { signedInAgent } from '../../helpers/learner';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase('_outbox');
});
afterAll(async () => {
  await connection.close();
});

/** A real SMTP server on a loopback port that accepts or refuses (451, "try again later") on demand. */
async function startSmtp() {
  const received: { to: string[]; subject: string }[] = [];
  const state = { accept: true };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (state.accept) return callback();
      const refusal = Object.assign(new Error('Mailbox unavailable, try again later'), { responseCode: 451 });
      callback(refusal);
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        raw += chunk;
      });
      stream.on('end', () => {
        const subject = /^Subject: (.*)$/m.exec(raw)?.[1] ?? '';
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { server, port, received, state, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** An app instance's worker, sending through SMTP with short retry delays. */
function workerFor(port: number, maxAttempts = 20): OutboxWorker {
  const logger = createLogger('silent');
  return createOutboxWorker({
    connection,
    transport: createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'SDG Learn <learn@example.org>', dataDir: '/nonexistent', logger }),
    logger,
    retry: { firstDelayMs: 50, maxDelayMs: 200, maxAttempts },
    pollMs: 20,
  });
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 15_000) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function askForReset(email: string) {
  const agent = agentFor(connection);
  const token = csrfFrom((await agent.get('/password/forgot')).text);
  return agent.post('/password/forgot').type('form').send({ email, _csrf: token });
}

describe('e-mail through the outbox', () => {
  it('when the mail server accepts, then refuses, then accepts again, then every message arrives exactly once, sent by two instances', async () => {
    const smtp = await startSmtp();
    const workers = [workerFor(smtp.port), workerFor(smtp.port)];
    for (const w of workers) w.start();
    try {
      const users = await Promise.all(Array.from({ length: 8 }, (_, i) => createUser(connection, { email: `outbox-${i}@example.org` })));

      for (const u of users.slice(0, 4)) expect((await askForReset(u.email)).status).toBe(303);
      await until(() => smtp.received.length === 4);

      smtp.state.accept = false;
      for (const u of users.slice(4)) expect((await askForReset(u.email)).status).toBe(303);
      // each of the four is tried, refused and queued again
      await until(async () => (await connection.collection(OUTBOX_ATTEMPTS).countDocuments({ outcome: 'failed' })) >= 8);
      expect(smtp.received).toHaveLength(4);

      smtp.state.accept = true;
      await until(() => smtp.received.length >= 8);
      for (const w of workers) await w.stop();
      await new Promise((r) => setTimeout(r, 200));

      const perAddress = users.map((u) => smtp.received.filter((m) => m.to.includes(u.email)).length);
      expect(perAddress).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
      expect(await connection.collection(OUTBOX_MESSAGES).countDocuments({ state: 'sent' })).toBe(8);
      expect(await connection.collection(OUTBOX_ATTEMPTS).countDocuments({ outcome: 'sent' })).toBe(8);
      // what was sent held a reset link: only the envelope stays in the database
      expect(await connection.collection(OUTBOX_MESSAGES).countDocuments({ text: { $exists: true } })).toBe(0);
    } finally {
      for (const w of workers) await w.stop();
      await smtp.close();
    }
  });

  it('when the mail server is down, then "forgot password" answers the same for a known and an unknown address, and the admins see the failed message', async () => {
    await connection.collection(OUTBOX_MESSAGES).deleteMany({});
    const user = await createUser(connection, { email: 'down@example.org' });
    const smtp = await startSmtp();
    const port = smtp.port;
    await smtp.close(); // nothing listens on the port now

    const known = await askForReset(user.email);
    const unknown = await askForReset('nobody-here@example.org');
    expect(known.status).toBe(303);
    expect(unknown.status).toBe(known.status);
    expect(unknown.headers.location).toBe(known.headers.location);

    const worker = workerFor(port, 3);
    await until(async () => {
      await worker.deliverDue();
      return (await connection.collection(OUTBOX_MESSAGES).countDocuments({ state: 'failed' })) === 1;
    });
    expect(await connection.collection(OUTBOX_ATTEMPTS).countDocuments({ outcome: 'failed' })).toBeGreaterThanOrEqual(3);

    const admin = await signedInAgent(connection, { role: 'admin' });
    const page = await admin.agent.get('/admin/mail');
    expect(page.status).toBe(200);
    expect(decoded(page.text)).toContain('E-mail that could not be delivered');
    expect(page.text).toContain('down@example.org');
    const learner = await signedInAgent(connection);
    expect((await learner.agent.get('/admin/mail')).status).toBe(403);
  });
});
