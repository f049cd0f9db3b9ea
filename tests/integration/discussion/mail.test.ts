import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import { SMTPServer } from 'smtp-server';
import supertest from 'supertest';
import { createDiscussionDigest } from '../../../src/features/discussion';
import { createLogger } from '../../../src/platform/logger';
import { createMailer } from '../../../src/platform/mailer';
import { createOutbox, createOutboxWorker } from '../../../src/platform/outbox';
import { csrfFrom, testConfig } from '../../helpers/build-app';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { cohortWithPeople, formOn, replyTo, startThread, threadIdFrom } from '../../helpers/discussion';

let connection: Connection;
type Received = { to: string[]; raw: string; text: string };
let received: Received[];
let smtp: SMTPServer;
let port: number;

/** Quoted-printable and encoded-word decoding, enough to read what the mailer wrote. */
function decode(raw: string): string {
  const qp = raw.replace(/=\r?\n/g, '').replace(/((?:=[0-9A-F]{2})+)/g, (m) => Buffer.from(m.replace(/=/g, ''), 'hex').toString('utf8'));
  return qp.replace(/=\?UTF-8\?Q\?(.*?)\?=/gi, (_m, w: string) => w.replace(/_/g, ' ')).replace(/\?=\s+=\?UTF-8\?Q\?/gi, '');
}

beforeAll(async () => {
  connection = await connectTestDatabase('_discussion_mail');
  await seedCourse(connection);
  received = [];
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => {
        raw += c;
      });
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, text: decode(raw) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  port = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await connection.close();
});

/** Sends what is queued through the real SMTP server, as the server's worker does. */
async function deliver() {
  const logger = createLogger('silent');
  const transport = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'SDG Learn <learn@example.org>', dataDir: '/nonexistent', logger });
  await createOutboxWorker({ connection, transport, logger }).deliverDue();
}
const to = (address: string) => received.filter((m) => m.to.includes(address));

describe('discussion e-mails', () => {
  it('when a learner replies (and sends the form twice), then the thread author gets one e-mail in their language with a one-click unsubscribe', async () => {
    const { a, b, base } = await cohortWithPeople(connection, { a: 'fr', b: 'es' });
    const made = await startThread(a, base, { title: 'Conseil municipal', body: 'Comment avez-vous commencé ?' });
    const url = `${base}/${threadIdFrom(made.headers.location)}`;
    const form = await formOn(b.agent, url);
    const send = () => b.agent.post(`${url}/replies`).type('form').send({ _csrf: form.csrf, token: form.token, body: 'Con una encuesta, @Amélie Dubois.' });
    expect((await send()).status).toBe(303);
    expect((await send()).status).toBe(303);
    await deliver();
    const mails = to(a.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('a répondu à votre fil');
    expect(mails[0]!.text).toContain('Con una encuesta');
    expect(mails[0]!.raw).toMatch(/List-Unsubscribe:\s+<http[^>]+\/discussion\/unsubscribe\/[^>]+>/);
    expect(mails[0]!.raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(to(b.email)).toHaveLength(0);
  });

  it('when the unsubscribe link is followed without login, then that e-mail stops, the change is audited, and a forged token changes nothing', async () => {
    const { a, b, app, base } = await cohortWithPeople(connection, { a: 'en' });
    const made = await startThread(a, base, { title: 'Unsubscribe me', body: 'Opening' });
    const url = `${base}/${threadIdFrom(made.headers.location)}`;
    await replyTo(b, url, 'First reply');
    await deliver();
    const link = /(http\S+\/discussion\/unsubscribe\/[A-Za-z0-9._-]+)/.exec(to(a.email).at(-1)!.text)![1]!;
    const path = new URL(link).pathname;
    const anonymous = supertest.agent(app);
    expect((await anonymous.post(`${path.slice(0, -4)}AAAA`)).status).toBe(404);
    const confirm = await anonymous.get(path);
    expect(confirm.status).toBe(200);
    expect(await connection.collection('discussion_prefs').countDocuments({ _id: a.userId as never })).toBe(0);
    const done = await anonymous.post(path);
    expect(done.status).toBe(200);
    expect(done.text).toContain('data-unsubscribed="replies"');
    expect(await connection.collection('discussion_prefs').findOne({ _id: a.userId as never })).toMatchObject({ replies: false, announcements: true });
    expect(await connection.collection('audit_events').countDocuments({ action: 'discussion.unsubscribed' })).toBe(1);
    const before = to(a.email).length;
    await replyTo(b, url, 'Second reply');
    await deliver();
    expect(to(a.email)).toHaveLength(before);
  });

  it('when a trainer posts an announcement, then every member gets it once, each in their language', async () => {
    const { trainer, a, b, base } = await cohortWithPeople(connection, { a: 'fr', b: 'es' });
    const res = await startThread(trainer, base, { kind: 'announcement', title: 'Session on Friday', body: 'Bring your worksheet.' });
    expect(res.status).toBe(303);
    await deliver();
    expect(to(a.email).map((m) => m.text).join()).toContain('a publié une annonce');
    expect(to(b.email).map((m) => m.text).join()).toContain('publicó un anuncio');
    expect(to(trainer.email)).toHaveLength(0);
  });

  it('when a member who chose mention e-mails is mentioned, then they get one; a member who did not choose them gets none', async () => {
    const { trainer, a, b, base } = await cohortWithPeople(connection, { a: 'fr', b: 'es' });
    const profile = await b.agent.get('/profile');
    await b.agent.post('/profile/notifications').type('form').send({ _csrf: csrfFrom(profile.text), mentions: 'on', digest: 'off' });
    await startThread(trainer, base, { title: 'Who leads?', body: 'What do you think, @beatriz gómez and @Amélie Dubois?' });
    await deliver();
    const mentions = to(b.email);
    expect(mentions).toHaveLength(1);
    expect(mentions[0]!.text).toContain('le mencionó');
    expect(to(a.email)).toHaveLength(0);
  });

  it('when the digest runs twice, then the second contains only what is new since the first', async () => {
    const { a, b, base } = await cohortWithPeople(connection, { a: 'en' });
    // a chooses a daily digest and nothing else, on the profile page
    const profile = await a.agent.get('/profile');
    expect(profile.text).toContain('name="digest"');
    const saved = await a.agent.post('/profile/notifications').type('form').send({ _csrf: csrfFrom(profile.text), digest: 'daily' });
    expect(saved.status).toBe(303);
    expect(await connection.collection('discussion_prefs').findOne({ _id: a.userId as never })).toMatchObject({ replies: false, digest: 'daily' });
    const made = await startThread(b, base, { title: 'Old news thread', body: 'Old news' });
    const mailer = createOutbox(connection);
    const secret = testConfig().sessionSecret;
    const first = new Date();
    expect(await createDiscussionDigest(connection, { mailer, baseUrl: 'http://localhost', secret, clock: () => first }).run()).toBeGreaterThan(0);
    // the same period again: nothing more
    await createDiscussionDigest(connection, { mailer, baseUrl: 'http://localhost', secret, clock: () => new Date(first.getTime() + 1000) }).run();
    await replyTo(b, `${base}/${threadIdFrom(made.headers.location)}`, 'Fresh news');
    const next = new Date(first.getTime() + 24 * 3600_000 + 1000);
    await createDiscussionDigest(connection, { mailer, baseUrl: 'http://localhost', secret, clock: () => next }).run();
    await deliver();
    const digests = to(a.email);
    expect(digests).toHaveLength(2);
    expect(digests[0]!.text).toContain('Old news');
    expect(digests[1]!.text).toContain('Fresh news');
    expect(digests[1]!.text).not.toContain('Old news\n');
    expect(digests[1]!.raw).toContain('List-Unsubscribe:');
  });
});
