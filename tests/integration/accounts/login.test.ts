import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { ensureIndexes } from '../../../src/bootstrap';
import { getUserModel } from '../../../src/features/accounts';
import { loginLimits } from '../../../src/features/accounts/accounts.service';
import { createAttemptLimiter } from '../../../src/platform/attempt-limiter';
import { agentFor, buildApp, csrfFrom, decoded } from '../../helpers/build-app';
import { connectTestDatabase } from '../../helpers/database';
import { createUser, csrfFor, loginAs, snapshot } from '../../helpers/factories';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase('_login');
  await ensureIndexes(connection);
});
afterAll(async () => {
  await connection.close();
});

const sessionCookie = (res: supertest.Response) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('sdg.sid='))?.split(';')[0];
const sessionIdOf = (cookie: string) => decodeURIComponent(cookie.slice('sdg.sid='.length)).slice(2).split('.')[0]!;

describe('logging in', () => {
  it('when the e-mail and password are right, then a new session starts and the user lands on the dashboard', async () => {
    const user = await createUser(connection, { name: 'Zoë Álvarez' });
    const agent = agentFor(connection);
    const form = await agent.get('/login');
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/<input id="email" name="email" type="email"[^>]*autocomplete="username"/);
    expect(form.text).toMatch(/<input id="password" name="password" type="password"[^>]*autocomplete="current-password"/);
    const before = sessionCookie(form)!;

    const res = await agent.post('/login').type('form').send({ email: user.email, password: user.password, _csrf: csrfFrom(form.text) });

    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard');
    const after = sessionCookie(res)!;
    expect(after).toBeDefined();
    expect(sessionIdOf(after)).not.toBe(sessionIdOf(before));
    const sessions = await connection.collection('sessions').find().toArray();
    const ids = sessions.map((s) => String(s._id));
    expect(ids).toContain(sessionIdOf(after));
    expect(ids).not.toContain(sessionIdOf(before));
    const mine = sessions.find((s) => String(s._id) === sessionIdOf(after))!;
    // the session carries the user (so a request reads the session alone), and their id beside it
    expect(mine.session.passport).toEqual({ user: { id: user.id, email: user.email, name: 'Zoë Álvarez', role: 'learner', language: 'en' } });
    expect(mine.userId).toBe(user.id);
    const page = await agent.get('/profile');
    expect(page.status).toBe(200);
    expect(decoded(page.text)).toContain('Welcome back, Zoë Álvarez.');
  });

  it('when the e-mail is typed in another case and with spaces, then it still logs in', async () => {
    const user = await createUser(connection);
    const agent = agentFor(connection);
    const csrfToken = await csrfFor(agent);
    const res = await agent
      .post('/login')
      .type('form')
      .send({ email: `  ${user.email.toUpperCase()} `, password: user.password, _csrf: csrfToken });
    expect(res.status).toBe(303);
  });

  it('when the password is wrong, then the form comes back with 401, the e-mail kept, the password not, and no user is signed in', async () => {
    const user = await createUser(connection);
    const agent = agentFor(connection);
    const token = await csrfFor(agent);
    const before = await snapshot(connection, ['users', 'sessions']);

    const res = await agent.post('/login').type('form').send({ email: user.email, password: 'not the right password', _csrf: token });

    expect(res.status).toBe(401);
    expect(decoded(res.text)).toContain('The e-mail address or the password is not right.');
    expect(res.text).toContain(`value="${user.email}"`);
    expect(res.text).not.toContain('not the right password');
    expect(await snapshot(connection, ['users', 'sessions'])).toEqual(before);
    expect((await agent.get('/profile')).status).toBe(302);
    const audit = await connection.collection('audit_events').findOne({ action: 'login.failed', targetEmail: user.email });
    expect(audit?.details).toEqual({ reason: 'wrong-password' });
  });

  it('when the e-mail has no account, then the answer is the same as for a wrong password', async () => {
    const agent = agentFor(connection);
    const csrfToken = await csrfFor(agent);
    const res = await agent
      .post('/login')
      .type('form')
      .send({ email: 'nobody@example.org', password: 'whatever password', _csrf: csrfToken });
    expect(res.status).toBe(401);
    expect(decoded(res.text)).toContain('The e-mail address or the password is not right.');
  });

  it('when fields are missing or invalid, then the form comes back with 422 and each message beside its field', async () => {
    const agent = agentFor(connection);
    const csrfToken = await csrfFor(agent);
    const res = await agent.post('/login').type('form').send({ email: 'not-an-email', _csrf: csrfToken });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/<p class="field-error" id="email-error">.*Enter an e-mail address in the right format/);
    expect(res.text).toMatch(/<p class="field-error" id="password-error">.*Enter your password\./);
    expect(res.text).toMatch(/<input id="email"[^>]*value="not-an-email"[^>]*aria-describedby="email-error" aria-invalid="true">/);
    expect(res.text).toMatch(/<input id="password"[^>]*aria-describedby="password-error" aria-invalid="true">/);
  });

  it('when the page is in Spanish, then the errors are in Spanish', async () => {
    const agent = agentFor(connection);
    const token = csrfFrom((await agent.get('/login?lng=es')).text);
    const res = await agent.post('/login').type('form').send({ email: '', password: '', _csrf: token });
    expect(res.status).toBe(422);
    expect(res.text).toContain('<html lang="es">');
    expect(decoded(res.text)).toContain('Escriba su correo electrónico.');
    expect(decoded(res.text)).toContain('Escriba su contraseña.');
  });

  it('when the e-mail is an operator object in JSON, then it is refused with 422 and nobody is signed in', async () => {
    await createUser(connection);
    const agent = agentFor(connection);
    const token = await csrfFor(agent);
    const before = await snapshot(connection, ['users', 'sessions', 'audit_events']);
    const res = await agent
      .post('/login')
      .set('x-csrf-token', token)
      .send({ email: { $gt: '' }, password: { $gt: '' } });
    expect(res.status).toBe(422);
    expect(await snapshot(connection, ['users', 'sessions', 'audit_events'])).toEqual(before);
    expect((await agent.get('/profile')).status).toBe(302);
  });

  it('when the e-mail comes as email[$gt]= in a form body, then it is refused with 422 and nobody is signed in', async () => {
    await createUser(connection);
    const agent = agentFor(connection);
    const token = await csrfFor(agent);
    const before = await snapshot(connection, ['users', 'sessions', 'audit_events']);
    const res = await agent
      .post('/login')
      .type('form')
      .send(`email[$gt]=&password[$gt]=&_csrf=${encodeURIComponent(token)}`);
    expect(res.status).toBe(422);
    expect(await snapshot(connection, ['users', 'sessions', 'audit_events'])).toEqual(before);
  });

  it('when the CSRF token is missing or forged, then it gets 403 and nobody is signed in', async () => {
    const user = await createUser(connection);
    const agent = agentFor(connection);
    await agent.get('/login');
    const before = await snapshot(connection, ['users', 'sessions', 'audit_events']);
    const missing = await agent.post('/login').type('form').send({ email: user.email, password: user.password });
    const forged = await agent.post('/login').type('form').send({ email: user.email, password: user.password, _csrf: 'forged' });
    expect(missing.status).toBe(403);
    expect(forged.status).toBe(403);
    expect(await snapshot(connection, ['users', 'sessions', 'audit_events'])).toEqual(before);
  });

  it('when the account is deactivated, then even the right password is refused and no session starts', async () => {
    const user = await createUser(connection, { deactivated: true });
    const agent = agentFor(connection);
    const token = await csrfFor(agent);
    const before = await snapshot(connection, ['users', 'sessions']);
    const res = await agent.post('/login').type('form').send({ email: user.email, password: user.password, _csrf: token });
    expect(res.status).toBe(403);
    expect(decoded(res.text)).toContain('This account has been deactivated.');
    expect(await snapshot(connection, ['users', 'sessions'])).toEqual(before);
    expect((await agent.get('/profile')).status).toBe(302);
  });
});

describe('going back where the user was', () => {
  it('when an anonymous user opens a page that needs a login, then they log in and come back to it', async () => {
    const user = await createUser(connection);
    const agent = agentFor(connection);
    const guarded = await agent.get('/profile');
    expect(guarded.status).toBe(302);
    expect(guarded.headers.location).toBe('/login?next=%2Fprofile');
    const form = await agent.get('/login?next=%2Fprofile');
    expect(form.text).toContain('<input type="hidden" name="next" value="/profile">');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ email: user.email, password: user.password, next: '/profile', _csrf: csrfFrom(form.text) });
    expect(res.headers.location).toBe('/profile');
  });

  it.each(['//evil.example/x', 'https://evil.example/', '/\\evil.example', '\\\\evil.example', 'javascript:alert(1)', '/\t/evil.example', '/.//evil.example', '/..//evil.example', '/%2e//evil.example'])(
    'when next is %s, then the user goes to the dashboard instead',
    async (next) => {
      const user = await createUser(connection);
      const agent = agentFor(connection);
      const csrfToken = await csrfFor(agent);
      const res = await agent
        .post('/login')
        .type('form')
        .send({ email: user.email, password: user.password, next, _csrf: csrfToken });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/dashboard');
    },
  );
});

describe('open redirects through next, for a signed-in user', () => {
  const BYPASSES = ['/.//evil.example', '/..//evil.example', '/%2e//evil.example', '/a/..//evil.example', '///evil.example'];

  it.each(BYPASSES)('when GET /login?next=%s, then the signed-in user stays on this site', async (next) => {
    const user = await createUser(connection);
    const agent = agentFor(connection);
    await loginAs(agent, user);
    const res = await agent.get(`/login?next=${encodeURIComponent(next)}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/dashboard');
  });

  it.each(BYPASSES)('when POST /language names next=%s, then the answer goes to this site’s home', async (next) => {
    const user = await createUser(connection);
    const agent = agentFor(connection);
    await loginAs(agent, user);
    const res = await agent.post('/language').type('form').send({ language: 'fr', next, _csrf: await csrfFor(agent, '/profile') });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });
});

describe('brute force', () => {
  it('when an e-mail has failed 5 times, then the 6th attempt gets 429 even with the right password, and nothing about the user changes', async () => {
    const user = await createUser(connection);
    const agent = agentFor(connection);
    const token = await csrfFor(agent);
    for (let i = 0; i < 5; i++) {
      const res = await agent.post('/login').type('form').send({ email: user.email, password: `wrong password ${i}`, _csrf: token });
      expect(res.status).toBe(401);
    }
    const before = await snapshot(connection, ['users', 'sessions']);
    const res = await agent.post('/login').type('form').send({ email: user.email, password: user.password, _csrf: token });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('900');
    expect(decoded(res.text)).toContain('Too many failed attempts.');
    expect(await snapshot(connection, ['users', 'sessions'])).toEqual(before);
  });

  it('when the limit is hit from another app instance, then this one refuses too (the count is in the database)', async () => {
    const user = await createUser(connection);
    const first = agentFor(connection);
    const token = await csrfFor(first);
    for (let i = 0; i < 5; i++) await first.post('/login').type('form').send({ email: user.email, password: 'wrong wrong wrong', _csrf: token });
    const second = supertest.agent(buildApp(connection));
    const csrfToken = await csrfFor(second);
    const res = await second.post('/login').type('form').send({ email: user.email, password: user.password, _csrf: csrfToken });
    expect(res.status).toBe(429);
  });

  it('when one IP has failed 50 times on any e-mails, then it gets 429 in Spanish for the page language', async () => {
    const ipLimit = loginLimits('someone@example.org', '127.0.0.1')[1]!;
    const key = ipLimit.key;
    const limiter = createAttemptLimiter(connection);
    // the slots this file's earlier failures left, then the rest of the 50
    while ((await limiter.take([ipLimit])).allowed);
    const agent = agentFor(connection);
    const token = csrfFrom((await agent.get('/login?lng=es')).text);
    const res = await agent.post('/login').type('form').send({ email: 'someone@example.org', password: 'any password at all', _csrf: token });
    expect(res.status).toBe(429);
    expect(decoded(res.text)).toContain('Demasiados intentos fallidos.');
    await connection.collection('attempts').deleteMany({ key });
  });

  it('when failures are older than the window, then they no longer count', async () => {
    const user = await createUser(connection);
    const old = new Date(Date.now() - 16 * 60_000);
    const then = createAttemptLimiter(connection, () => old);
    for (let i = 0; i < 5; i++) await then.take(loginLimits(user.email, '198.51.100.1').slice(0, 1));
    expect((await then.take(loginLimits(user.email, '198.51.100.1').slice(0, 1))).allowed).toBe(false);
    const agent = agentFor(connection);
    const csrfToken = await csrfFor(agent);
    const res = await agent.post('/login').type('form').send({ email: user.email, password: user.password, _csrf: csrfToken });
    expect(res.status).toBe(303);
  });
});

describe('logging out', () => {
  it('when a user logs out, then the session is destroyed in the database and the old cookie no longer signs in', async () => {
    const user = await createUser(connection);
    const agent = agentFor(connection);
    const login = await loginAs(agent, user);
    const cookie = sessionCookie(login)!;
    const token = csrfFrom((await agent.get('/profile')).text);

    const res = await agent.post('/logout').type('form').send({ _csrf: token });

    expect(res.status).toBe(303);
    expect(await connection.collection('sessions').countDocuments({ _id: sessionIdOf(cookie) as never })).toBe(0);
    expect(await connection.collection('sessions').countDocuments({ 'session.passport.user': user.id })).toBe(0);
    const replay = await supertest(buildApp(connection)).get('/profile').set('Cookie', cookie);
    expect(replay.status).toBe(302);
    expect(decoded((await agent.get('/')).text)).toContain('You have logged out.');
  });

  it('when logout has no CSRF token, then it gets 403 and the session stays', async () => {
    const user = await createUser(connection);
    const agent = agentFor(connection);
    await loginAs(agent, user);
    const res = await agent.post('/logout').type('form').send({});
    expect(res.status).toBe(403);
    expect((await agent.get('/profile')).status).toBe(200);
  });
});

describe('a deactivated user with a live session', () => {
  it('when an admin deactivates the account while it is signed in, then its next request is anonymous', async () => {
    const user = await createUser(connection);
    const agent = agentFor(connection);
    await loginAs(agent, user);
    const admin = await createUser(connection, { role: 'admin' });
    const adminAgent = agentFor(connection);
    await loginAs(adminAgent, admin);
    const token = csrfFrom((await adminAgent.get('/admin/users')).text);
    expect((await adminAgent.post(`/admin/users/${user.id}/deactivate`).type('form').send({ _csrf: token })).status).toBe(303);
    expect((await agent.get('/profile')).status).toBe(302);
  });

  it('when a session signed in before sessions carried the user holds the id alone, then the user is read and a deactivation still counts', async () => {
    const user = await createUser(connection);
    const agent = agentFor(connection);
    await loginAs(agent, user);
    // the form sessions had until now: the id alone, and no userId beside the session
    await connection.collection('sessions').updateMany({ userId: user.id }, { $set: { 'session.passport.user': user.id }, $unset: { userId: '' } });
    expect((await agent.get('/profile')).status).toBe(200);
    await getUserModel(connection).updateOne({ _id: user.id }, { $set: { deactivatedAt: new Date() } });
    expect((await agent.get('/profile')).status).toBe(302);
  });
});
