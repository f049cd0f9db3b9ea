import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import { connectWithRetry } from '../../../src/platform/database';
import { csrfFrom } from '../../helpers/build-app';
import { CookieBrowser } from '../../helpers/cookie-browser';
import { freePort } from '../../helpers/ports';
import {
  buildCompiledServer,
  productionSecrets,
  projectRoot,
  type ServerProcess,
  startServerProcess,
  testDatabaseUri,
} from '../../helpers/server-process';

/*
 * The compiled server (`npm run build`, then `node dist/src/server.js`, as the image runs it) in
 * production mode with real secrets, on the test database server: a person registers, logs in and
 * completes a lesson, on plain HTTP and behind a TLS-terminating proxy.
 */

const LESSON = '/modules/introduction/lessons/from-mdgs-to-sdgs';
const silent = { warn: () => {} };

let server: ServerProcess | undefined;
let connection: Connection | undefined;

beforeAll(() => {
  buildCompiledServer();
}, 180_000);

afterEach(async () => {
  await server?.stop();
  server = undefined;
  await connection?.close();
  connection = undefined;
});

async function startProduction(suffix: string, env: Record<string, string>, port?: number) {
  const db = testDatabaseUri(suffix);
  connection = await connectWithRetry(db.uri, { log: silent, attempts: 3 });
  await connection.dropDatabase();
  const fullEnv = {
    NODE_ENV: 'production',
    MONGODB_URI: db.uri,
    DATA_DIR: `${process.env.TEST_DATA_DIR ?? '.test-data'}/compiled-${db.dbName}`,
    LOG_LEVEL: 'warn',
    ...productionSecrets(),
    ...env,
  };
  server = await startServerProcess('dist/src/server.js', fullEnv, { port });
  return { server, connection, env: fullEnv, base: `http://127.0.0.1:${server.port}` };
}

/** Register, log out, log in again, open a lesson and mark it complete, as a person does in a browser. */
async function registerLoginAndLearn(browser: CookieBrowser, base: string, email: string, password: string) {
  const form = await browser.get(`${base}/register`);
  expect(form.status).toBe(200);
  const registered = await browser.postForm(`${base}/register`, {
    name: 'Amina Diallo',
    email,
    password,
    language: 'en',
    _csrf: csrfFrom(form.text),
  });
  expect(registered.status).toBe(303);
  expect(registered.headers.get('location')).toBe('/dashboard');
  const dashboard = await browser.get(`${base}/dashboard`);
  expect(dashboard.status).toBe(200);
  expect(dashboard.text).toContain('Amina Diallo');

  const loggedOut = await browser.postForm(`${base}/logout`, { _csrf: csrfFrom(dashboard.text) });
  expect(loggedOut.status).toBe(303);
  expect((await browser.get(`${base}/dashboard`)).status).toBe(302); // signed out: sent to /login

  const login = await browser.get(`${base}/login`);
  const loggedIn = await browser.postForm(`${base}/login`, { email, password, _csrf: csrfFrom(login.text) });
  expect(loggedIn.status).toBe(303);

  const lesson = await browser.get(`${base}${LESSON}`);
  expect(lesson.status).toBe(200);
  const completed = await browser.postForm(`${base}${LESSON}/complete`, { _csrf: csrfFrom(lesson.text) });
  expect(completed.status).toBe(303);
  expect((await browser.get(`${base}/dashboard`)).text).toMatch(/<progress id="progress-introduction" max="\d+" value="1">/);
}

describe('the compiled server in production', () => {
  it('when BASE_URL is plain http://localhost, then people register, log in and complete a lesson, the cookie is not Secure, and start-up warns', async () => {
    const port = await freePort();
    const { connection, base } = await startProduction('_compiled_http', { BASE_URL: `http://localhost:${port}` }, port);
    const browser = new CookieBrowser();
    const email = `amina-${crypto.randomUUID()}@example.org`;

    await registerLoginAndLearn(browser, base, email, 'Baobab river lantern 2030');

    const session = browser.cookie('sdg.sid');
    expect(session?.attributes).toContain('HttpOnly');
    expect(session?.attributes.map((a) => a.toLowerCase())).not.toContain('secure');
    const page = await browser.get(`${base}/modules`);
    // On plain HTTP an upgrade-insecure-requests CSP would send the browser to https:// for our CSS.
    expect(page.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(page.headers.get('strict-transport-security')).toBeNull();

    const user = await connection.collection('users').findOne({ email });
    expect(user).toMatchObject({ name: 'Amina Diallo', role: 'learner' });
    expect(await connection.collection('lesson_completions').find({ userId: String(user!._id) }).toArray()).toEqual([
      expect.objectContaining({ moduleId: 'introduction', lessonId: 'from-mdgs-to-sdgs' }),
    ]);
    expect(server!.output()).toContain('BASE_URL is plain HTTP');
    expect(await server!.stop()).toBe(0);
  }, 120_000);

  it('when BASE_URL is https behind a trusted proxy that says X-Forwarded-Proto: https, then the same works and the session cookie is Secure', async () => {
    const { connection, base } = await startProduction('_compiled_https', { BASE_URL: 'https://learn.example.org', TRUST_PROXY: 'true' });
    // The browser sees https://learn.example.org; the proxy calls the app over HTTP and says so.
    const browser = new CookieBrowser({ https: true, headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' } });
    const email = `amina-${crypto.randomUUID()}@example.org`;

    await registerLoginAndLearn(browser, base, email, 'Baobab river lantern 2030');

    expect(browser.cookie('sdg.sid')?.attributes.map((a) => a.toLowerCase())).toEqual(expect.arrayContaining(['secure', 'httponly']));
    const page = await browser.get(`${base}/modules`);
    expect(page.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    const user = await connection.collection('users').findOne({ email });
    expect(await connection.collection('lesson_completions').countDocuments({ userId: String(user!._id) })).toBe(1);
    expect(server!.output()).not.toContain('BASE_URL is plain HTTP');
    expect(server!.output()).not.toContain('TRUST_PROXY is not true');
  }, 120_000);

  it('when the operator creates the first admin with the compiled command line (npm run cli:prod), then that admin can log in and manage users', async () => {
    const { env, base } = await startProduction('_compiled_cli', { BASE_URL: 'https://learn.example.org', TRUST_PROXY: 'true' });
    const email = `admin-${crypto.randomUUID()}@example.org`;
    const password = 'Kilimanjaro sunrise ledger 17';
    // As in the container: the image has npm and dist/, no tsx.
    const cli = spawnSync('npm', ['run', '--silent', 'cli:prod', '--', 'create-user', '--role', 'admin', '--email', email, '--name', 'Ada Admin'], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
      input: `${password}\n`,
      encoding: 'utf8',
    });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toContain(`created admin ${email}`);
    expect(cli.status).toBe(0);

    const browser = new CookieBrowser({ https: true, headers: { 'x-forwarded-proto': 'https' } });
    const login = await browser.get(`${base}/login`);
    expect((await browser.postForm(`${base}/login`, { email, password, _csrf: csrfFrom(login.text) })).status).toBe(303);
    const users = await browser.get(`${base}/admin/users`);
    expect(users.status).toBe(200);
    expect(users.text).toContain(email);
  }, 120_000);

  it('when the same https site is reached without the proxy (no X-Forwarded-Proto), then no session cookie is handed out over plain HTTP', async () => {
    const { base } = await startProduction('_compiled_direct', { BASE_URL: 'https://learn.example.org', TRUST_PROXY: 'true' });
    const browser = new CookieBrowser();
    const form = await browser.get(`${base}/register`);
    expect(form.status).toBe(200);
    expect(form.setCookies.filter((c) => c.startsWith('sdg.sid='))).toEqual([]);
  }, 120_000);
});
