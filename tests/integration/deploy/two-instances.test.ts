import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { createApp } from '../../../src/app';
import { readPackageFolder } from '../../../src/features/content';
import { connectWithRetry } from '../../../src/platform/database';
import { createLogger } from '../../../src/platform/logger';
import { createMailer } from '../../../src/platform/mailer';
import { createOutboxWorker, type OutboxWorker } from '../../../src/platform/outbox';
import { modulesDir } from '../../../src/platform/paths';
import { uploadPackage } from '../../helpers/admin-content';
import { csrfFrom, testConfig, testDataDir } from '../../helpers/build-app';
import { codeFrom, completeCourseThroughSite, eventually } from '../../helpers/certificates';
import { CookieBrowser } from '../../helpers/cookie-browser';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { createUser, loginAs } from '../../helpers/factories';
import { signedInAgent } from '../../helpers/learner';
import type { OutboxMessage } from '../../helpers/mail';
import { testDatabaseUri } from '../../helpers/server-process';
import { zipOf } from '../../helpers/zip';

/*
 * Two app instances against one database, as two replicas behind a load balancer: each has its own
 * connection, content cache, event bus, DATA_DIR and port, and shares only the configuration an
 * operator shares (SESSION_SECRET, CREDENTIAL_PRIVATE_KEY, BASE_URL). A browser's cookies are
 * per host, not per port, so one CookieBrowser moving between the two ports is one person whose
 * requests the balancer spreads.
 */

const SUFFIX = '_two_instances';
const CREDENTIAL_PRIVATE_KEY = crypto.generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

type Instance = {
  name: string;
  app: ReturnType<typeof createApp>;
  connection: Connection;
  server: http.Server;
  url: string;
  dataDir: string;
  mail: OutboxWorker;
};

let a: Instance;
let b: Instance;

async function startInstance(name: string, connection: Connection): Promise<Instance> {
  const dataDir = `${testDataDir()}-${name}`;
  fs.rmSync(dataDir, { recursive: true, force: true });
  // A separate DATA_DIR each, so a key generated into one could not make the two agree by accident.
  const config = testConfig({ DATA_DIR: dataDir, CREDENTIAL_PRIVATE_KEY, BASE_URL: 'http://learn.example.org' });
  const logger = createLogger('silent');
  const app = createApp({ config, connection, logger }); // default 5 s release refresh
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // each instance runs its own mail worker, as server.ts does, over the one shared outbox
  const mail = createOutboxWorker({ connection, transport: createMailer({ from: config.mailFrom, dataDir, logger }), logger, pollMs: 50 });
  mail.start();
  return { name, app, connection, server, dataDir, mail, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Every e-mail either instance wrote (no SMTP server: one JSON file per message in DATA_DIR/outbox). */
function sentTo(address: string): OutboxMessage[] {
  return [a, b].flatMap(({ dataDir }) => {
    const dir = path.join(dataDir, 'outbox');
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .flatMap((f) => {
        // a message still being written (another account's welcome e-mail, say) is read on the next probe
        try {
          return [JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as OutboxMessage];
        } catch {
          return [];
        }
      })
      .filter((m) => m.to.some((t) => t.address === address));
  });
}

beforeAll(async () => {
  const first = await connectTestDatabase(SUFFIX);
  await seedCourse(first);
  const second = await connectWithRetry(testDatabaseUri(SUFFIX).uri, { log: { warn: () => {} }, attempts: 3 });
  expect(second.name).toBe(first.name);
  a = await startInstance('a', first);
  b = await startInstance('b', second);
});

afterAll(async () => {
  for (const instance of [a, b]) {
    await instance.mail.stop();
    await new Promise((resolve) => instance.server.close(resolve));
    await instance.connection.close();
  }
});

describe('two app instances on one database', () => {
  it('when a person registers on one instance, then the other knows them; when they log out there, then the first forgets them too', async () => {
    const browser = new CookieBrowser();
    const email = `kofi-${crypto.randomUUID()}@example.org`;
    const form = await browser.get(`${a.url}/register`);
    const registered = await browser.postForm(`${a.url}/register`, {
      name: 'Kofi Mensah',
      email,
      password: 'Harmattan compass 2030 river',
      language: 'en',
      _csrf: csrfFrom(form.text),
    });
    expect(registered.status).toBe(303);

    const onB = await browser.get(`${b.url}/dashboard`);
    expect(onB.status).toBe(200);
    expect(onB.text).toContain('Kofi Mensah');
    // The CSRF token lives in the session too: a form drawn by A is accepted by B.
    const profile = await browser.get(`${a.url}/profile`);
    const loggedOut = await browser.postForm(`${b.url}/logout`, { _csrf: csrfFrom(profile.text) });
    expect(loggedOut.status).toBe(303);
    expect((await browser.get(`${a.url}/dashboard`)).status).toBe(302);
    const user = await a.connection.collection('users').findOne({ email });
    expect(await a.connection.collection('sessions').countDocuments({ userId: String(user!._id) })).toBe(0);
  });

  it('when an e-mail fails 5 logins spread over both instances, then both refuse the right password with 429 and no session is made', async () => {
    const user = await createUser(a.connection);
    const browser = new CookieBrowser();
    for (let i = 0; i < 5; i++) {
      const instance = i % 2 === 0 ? a : b;
      const page = await browser.get(`${instance.url}/login`);
      const res = await browser.postForm(`${instance.url}/login`, { email: user.email, password: `wrong password ${i}`, _csrf: csrfFrom(page.text) });
      expect(res.status).toBe(401);
    }
    for (const instance of [a, b]) {
      const page = await browser.get(`${instance.url}/login`);
      const res = await browser.postForm(`${instance.url}/login`, { email: user.email, password: user.password, _csrf: csrfFrom(page.text) });
      expect(res.status).toBe(429);
    }
    expect(await a.connection.collection('sessions').countDocuments({ userId: user.id })).toBe(0);
  });

  it('when a learner completes the course on one instance while opening their dashboard on the other, then one certificate is issued, it verifies on both, and one e-mail is sent', async () => {
    // The instance that inserted the certificate queues its e-mail; both instances' workers poll
    // the outbox: "sent once" means exactly one message across both instances.
    const learner = await signedInAgent(a.connection, { app: a.app, name: 'Lindiwe Dlamini' });
    const onB = supertest.agent(b.app);
    await loginAs(onB, learner);

    await completeCourseThroughSite(a.connection, learner.agent);
    // A is still issuing (its course-completed listener renders the PDF) when B's pages, which
    // issue a missing certificate themselves, are opened: the slot's primary key picks one winner.
    await Promise.all([onB.get('/dashboard'), onB.get('/certificate'), learner.agent.get('/dashboard')]);
    const pageOnB = await eventually(async () => {
      const page = await onB.get('/certificate');
      return page.text.includes('data-certificate-code') ? page : undefined;
    });
    const code = codeFrom(pageOnB.text);
    expect(codeFrom((await learner.agent.get('/certificate')).text)).toBe(code);

    for (const instance of [a, b]) {
      const verify = await supertest(instance.app).get(`/verify/${code}`);
      expect(verify.status).toBe(200);
      expect(verify.text).toContain('data-status="valid"');
    }
    // The credential downloaded from A verifies with the key B publishes: the same signing key.
    const credential = JSON.parse((await learner.agent.get(`/certificates/${code}/credential.json`)).text) as { id: string };
    const keys = JSON.parse((await supertest(b.app).get('/.well-known/jwks.json')).text) as JSONWebKeySet;
    const { payload } = await jwtVerify(credential.id.replace(/^data:application\/vc\+jwt,/, ''), createLocalJWKSet(keys), { algorithms: ['EdDSA'] });
    expect(payload.jti).toBe(`http://learn.example.org/verify/${code}`);

    await eventually(async () => sentTo(learner.email).length > 0);
    await new Promise((r) => setTimeout(r, 1000)); // room for a second, wrong message to arrive
    expect(sentTo(learner.email)).toHaveLength(1);
    expect(await a.connection.collection('certificate_slots').countDocuments({ userId: learner.userId })).toBe(1);
    expect(await a.connection.collection('certificates').countDocuments({ userId: learner.userId })).toBe(1);
  });

  it('when a password reset is asked for on one instance, then exactly one e-mail is sent and its link works on the other instance', async () => {
    const user = await createUser(a.connection);
    const browser = new CookieBrowser();
    const form = await browser.get(`${b.url}/password/forgot`);
    expect((await browser.postForm(`${b.url}/password/forgot`, { email: user.email, _csrf: csrfFrom(form.text) })).status).toBe(303);
    // the e-mail is queued; one of the two workers sends it
    await eventually(async () => sentTo(user.email).length > 0);
    await new Promise((r) => setTimeout(r, 500)); // room for a second, wrong message to arrive
    const [message, ...others] = sentTo(user.email);
    expect(others).toEqual([]);
    const link = /http:\/\/learn\.example\.org(\/password\/reset\/\S+)/.exec(message!.text)?.[1];
    expect(link).toBeDefined();
    expect((await browser.get(`${a.url}${link}`)).status).toBe(200);
  });

  it('when an admin publishes a new version on one instance, then the other shows it within 5 seconds', async () => {
    const reader = new CookieBrowser();
    expect((await reader.get(`${b.url}/modules/introduction`)).text).toContain('Localizing the SDGs: introduction');
    const admin = await signedInAgent(a.connection, { role: 'admin', app: a.app });
    const files = readPackageFolder(path.join(modulesDir, '01-introduction'));
    const yaml = files.get('module.yaml')!.toString();
    files.set('module.yaml', Buffer.from(yaml.replace('en: "Localizing the SDGs: introduction"', 'en: "Localizing the SDGs: a first look"')));
    const upload = await uploadPackage(admin.agent, await zipOf(files));
    expect(upload.status).toBe(303);
    const version = upload.headers.location!.split('/').pop()!;
    const draft = await admin.agent.get(upload.headers.location!);
    const published = await admin.agent
      .post(`/admin/content/introduction/versions/${version}/publish`)
      .type('form')
      .send({ _csrf: csrfFrom(draft.text) });
    expect(published.status).toBe(303);
    const at = Date.now();

    await eventually(async () => (await reader.get(`${b.url}/modules/introduction`)).text.includes('Localizing the SDGs: a first look'), 5_000);
    expect(Date.now() - at).toBeLessThanOrEqual(5_000);
    expect((await reader.get(`${a.url}/modules/introduction`)).text).toContain('Localizing the SDGs: a first look');
  });
});
