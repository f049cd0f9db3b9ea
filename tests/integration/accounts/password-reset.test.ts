import crypto from 'node:crypto';
import { type Connection, Types } from 'mongoose';
import { ensureIndexes } from '../../../src/bootstrap';
import { getUserModel } from '../../../src/features/accounts';
import { agentFor, csrfFrom, decoded } from '../../helpers/build-app';
import { connectTestDatabase } from '../../helpers/database';
import { createUser, csrfFor, loginAs, snapshot, strongPassword } from '../../helpers/factories';
import { clearOutbox, mailTo, readOutbox } from '../../helpers/mail';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase('_reset');
  await ensureIndexes(connection);
});
beforeEach(async () => {
  clearOutbox();
  await connection.collection('attempts').deleteMany({});
});
afterAll(async () => {
  await connection.close();
});

/** Asks for a reset link through the form and returns the link's path from the e-mail. */
async function requestLink(email: string): Promise<string> {
  const agent = agentFor(connection);
  const token = await csrfFor(agent, '/password/forgot');
  const res = await agent.post('/password/forgot').type('form').send({ email, _csrf: token });
  expect(res.status).toBe(303);
  const mail = (await mailTo(connection, email)).at(-1);
  const link = /http:\/\/localhost:3000(\/password\/reset\/[A-Za-z0-9_-]+)/.exec(mail?.text ?? '');
  if (!link?.[1]) throw new Error('no reset link was e-mailed');
  return link[1];
}

describe('asking for a reset link', () => {
  it('when the e-mail has an account, then a link is e-mailed in the user’s language and only its hash is stored', async () => {
    const user = await createUser(connection, { language: 'fr', name: 'Élodie Martin' });
    const path = await requestLink(user.email);

    const [mail] = await mailTo(connection, user.email);
    expect(mail!.subject).toBe('Choisissez un nouveau mot de passe pour SDG Learn');
    expect(mail!.text).toContain('Bonjour Élodie Martin,');
    expect(mail!.text).toContain('Le lien fonctionne une seule fois, pendant une heure.');
    const token = path.split('/').pop()!;
    const stored = await connection.collection('password_resets').find({ userId: new Types.ObjectId(user.id) }).toArray();
    expect(stored).toHaveLength(1);
    expect(String(stored[0]!._id)).toBe(crypto.createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(token);
    const ttl = stored[0]!.expiresAt.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(59 * 60_000);
    expect(ttl).toBeLessThanOrEqual(60 * 60_000);
  });

  it('when the e-mail has no account, then the answer is exactly the same and no e-mail is sent', async () => {
    const user = await createUser(connection);
    const known = agentFor(connection);
    const unknown = agentFor(connection);
    const t1 = await csrfFor(known, '/password/forgot');
    const t2 = await csrfFor(unknown, '/password/forgot');
    const a = await known.post('/password/forgot').type('form').send({ email: user.email, _csrf: t1 });
    const b = await unknown.post('/password/forgot').type('form').send({ email: 'no.such.person@example.org', _csrf: t2 });
    expect(b.status).toBe(a.status);
    expect(b.headers.location).toBe(a.headers.location);
    const pageA = decoded((await known.get('/login')).text).replace(user.email, 'EMAIL');
    const pageB = decoded((await unknown.get('/login')).text).replace('no.such.person@example.org', 'EMAIL');
    const flash = (html: string) => /<div class="notice [^"]*" role="status">[\s\S]*?<\/div>/.exec(html)?.[0];
    expect(flash(pageB)).toBe(flash(pageA));
    expect(flash(pageA)).toContain('If an account uses EMAIL');
    expect(await mailTo(connection, 'no.such.person@example.org')).toHaveLength(0);
    expect(await readOutbox(connection)).toHaveLength(1);
  });

  it('when the e-mail is missing or malformed, then the form comes back with 422 and nothing is sent or stored', async () => {
    const agent = agentFor(connection);
    const token = await csrfFor(agent, '/password/forgot');
    const before = await snapshot(connection, ['password_resets', 'users']);
    const missing = await agent.post('/password/forgot').type('form').send({ _csrf: token });
    const bad = await agent.post('/password/forgot').type('form').send({ email: 'nope', _csrf: token });
    expect(missing.status).toBe(422);
    expect(decoded(missing.text)).toMatch(/id="email-error">.*Enter your e-mail address\./);
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('value="nope"');
    expect(await readOutbox(connection)).toHaveLength(0);
    expect(await snapshot(connection, ['password_resets', 'users'])).toEqual(before);
  });

  it('when the e-mail is an operator object, then it is a 422 and nothing is sent', async () => {
    await createUser(connection);
    const agent = agentFor(connection);
    const token = await csrfFor(agent, '/password/forgot');
    const res = await agent.post('/password/forgot').set('x-csrf-token', token).send({ email: { $gt: '' } });
    expect(res.status).toBe(422);
    expect(await readOutbox(connection)).toHaveLength(0);
  });

  it('when the CSRF token is missing, then it gets 403 and nothing is sent', async () => {
    const user = await createUser(connection);
    const agent = agentFor(connection);
    await agent.get('/password/forgot');
    const res = await agent.post('/password/forgot').type('form').send({ email: user.email });
    expect(res.status).toBe(403);
    expect(await readOutbox(connection)).toHaveLength(0);
  });

  it('when one address asks more than 3 times in an hour, then the 4th gets 429 in the page language and no e-mail', async () => {
    const user = await createUser(connection);
    for (let i = 0; i < 3; i++) await requestLink(user.email);
    const agent = agentFor(connection);
    const token = csrfFrom((await agent.get('/password/forgot?lng=fr')).text);
    const before = await snapshot(connection, ['password_resets']);
    const res = await agent.post('/password/forgot').type('form').send({ email: user.email, _csrf: token });
    expect(res.status).toBe(429);
    expect(decoded(res.text)).toContain('Trop de demandes.');
    expect(await mailTo(connection, user.email)).toHaveLength(3);
    expect(await snapshot(connection, ['password_resets'])).toEqual(before);
  });
});

describe('using a reset link', () => {
  it('when the link is used with a good password, then the password changes, every session of the user ends, and the link is spent', async () => {
    const user = await createUser(connection);
    const laptop = agentFor(connection);
    const phone = agentFor(connection);
    await loginAs(laptop, user);
    await loginAs(phone, user);
    expect(await connection.collection('sessions').countDocuments({ userId: user.id })).toBe(2);
    const path = await requestLink(user.email);
    const browser = agentFor(connection);
    const form = await browser.get(path);
    expect(form.status).toBe(200);
    expect(form.headers['cache-control']).toBe('no-store');
    const newPassword = strongPassword();

    const res = await browser.post(path).type('form').send({ password: newPassword, _csrf: csrfFrom(form.text) });

    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect(await connection.collection('sessions').countDocuments({ userId: user.id })).toBe(0);
    expect((await laptop.get('/profile')).status).toBe(302);
    expect((await phone.get('/profile')).status).toBe(302);
    expect(await connection.collection('password_resets').countDocuments({ userId: new Types.ObjectId(user.id) })).toBe(0);
    await loginAs(agentFor(connection), { email: user.email, password: newPassword });
    const old = agentFor(connection);
    const token = await csrfFor(old);
    expect((await old.post('/login').type('form').send({ email: user.email, password: user.password, _csrf: token })).status).toBe(401);
    const actions = (await connection.collection('audit_events').find({ targetEmail: user.email }).toArray()).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['password.resetRequested', 'password.resetUsed']));
  });

  it('when the link is used a second time, then it is refused and the password stays as set the first time', async () => {
    const user = await createUser(connection);
    const path = await requestLink(user.email);
    const browser = agentFor(connection);
    const token = await csrfFor(browser, path);
    expect((await browser.post(path).type('form').send({ password: strongPassword(), _csrf: token })).status).toBe(303);
    const secondToken = await csrfFor(browser);
    const before = await snapshot(connection, ['users', 'sessions', 'password_resets']);

    const again = await browser.post(path).type('form').send({ password: strongPassword(), _csrf: secondToken });

    expect(again.status).toBe(400);
    expect(decoded(again.text)).toContain('has expired or has already been used');
    expect(await snapshot(connection, ['users', 'sessions', 'password_resets'])).toEqual(before);
    expect((await browser.get(path)).status).toBe(400);
  });

  it('when the link is used twice at the same moment, then exactly one request sets the password', async () => {
    const user = await createUser(connection);
    const path = await requestLink(user.email);
    const agents = [agentFor(connection), agentFor(connection), agentFor(connection)];
    const tokens = await Promise.all(agents.map((a) => csrfFor(a, path)));
    const results = await Promise.all(agents.map((a, i) => a.post(path).type('form').send({ password: strongPassword(), _csrf: tokens[i] })));
    expect(results.map((r) => r.status).sort()).toEqual([303, 400, 400]);
  });

  it('when the link is more than an hour old, then it is refused and nothing changes', async () => {
    const user = await createUser(connection);
    const path = await requestLink(user.email);
    await connection.collection('password_resets').updateMany({}, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const browser = agentFor(connection);
    const shown = await browser.get(path);
    expect(shown.status).toBe(400);
    expect(decoded(shown.text)).toContain('This link no longer works');
    const token = await csrfFor(browser);
    const before = await snapshot(connection, ['users', 'sessions']);
    const res = await browser.post(path).type('form').send({ password: strongPassword(), _csrf: token });
    expect(res.status).toBe(400);
    expect(await snapshot(connection, ['users', 'sessions'])).toEqual(before);
    await connection.collection('password_resets').deleteMany({});
  });

  it('when the token is made up, then it is refused with 400', async () => {
    const browser = agentFor(connection);
    const made = `/password/reset/${crypto.randomBytes(32).toString('base64url')}`;
    expect((await browser.get(made)).status).toBe(400);
    expect((await browser.get('/password/reset/short')).status).toBe(400);
  });

  it('when the new password is too short or common, then the form comes back with 422 and the link still works', async () => {
    const user = await createUser(connection);
    const path = await requestLink(user.email);
    const browser = agentFor(connection);
    const token = await csrfFor(browser, path);
    const before = await snapshot(connection, ['users', 'password_resets']);
    const short = await browser.post(path).type('form').send({ password: 'short', _csrf: token });
    expect(short.status).toBe(422);
    expect(decoded(short.text)).toMatch(/id="password-error">.*at least 12 characters/);
    const common = await browser.post(path).type('form').send({ password: '123456789012', _csrf: token });
    expect(common.status).toBe(422);
    expect(await snapshot(connection, ['users', 'password_resets'])).toEqual(before);
    expect((await browser.post(path).type('form').send({ password: strongPassword(), _csrf: token })).status).toBe(303);
  });

  it('when the account was deactivated after the link was sent, then the link does not work', async () => {
    const user = await createUser(connection);
    const path = await requestLink(user.email);
    await getUserModel(connection).updateOne({ _id: user.id }, { $set: { deactivatedAt: new Date() } });
    const browser = agentFor(connection);
    expect((await browser.get(path)).status).toBe(400);
  });

  it('when an IP keeps trying made-up links, then after 10 it gets 429', async () => {
    const browser = agentFor(connection);
    const token = await csrfFor(browser, '/password/forgot');
    for (let i = 0; i < 10; i++) {
      const res = await browser.post(`/password/reset/${crypto.randomBytes(32).toString('base64url')}`).type('form').send({ password: strongPassword(), _csrf: token });
      expect(res.status).toBe(400);
    }
    const res = await browser.post(`/password/reset/${crypto.randomBytes(32).toString('base64url')}`).type('form').send({ password: strongPassword(), _csrf: token });
    expect(res.status).toBe(429);
  });
});
