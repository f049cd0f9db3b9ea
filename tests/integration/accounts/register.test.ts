import type { Connection } from 'mongoose';
import { ensureIndexes } from '../../../src/bootstrap';
import { getUserModel } from '../../../src/features/accounts';
import { agentFor, csrfFrom, decoded } from '../../helpers/build-app';
import { connectTestDatabase } from '../../helpers/database';
import { createUser, csrfFor, snapshot, strongPassword } from '../../helpers/factories';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase('_register');
  await ensureIndexes(connection);
});
afterAll(async () => {
  await connection.close();
});

const valid = () => ({
  name: 'María José Núñez',
  email: `Maria.${Date.now()}.${Math.random().toString(36).slice(2)}@Example.ORG`,
  password: strongPassword(),
  language: 'es',
});

describe('registering', () => {
  it('when the form is shown, then every field has a label and the right autocomplete', async () => {
    const res = await agentFor(connection).get('/register');
    expect(res.status).toBe(200);
    for (const [id, autocomplete] of [['name', 'name'], ['email', 'email'], ['password', 'new-password'], ['language', 'language']]) {
      expect(res.text).toContain(`<label for="${id}">`);
      expect(res.text).toMatch(new RegExp(`id="${id}" name="${id}"[^>]*autocomplete="${autocomplete}"`));
    }
  });

  it('when everything is valid, then a learner account is stored with a lower-cased e-mail and an argon2id hash, and the user is signed in', async () => {
    const agent = agentFor(connection);
    const token = await csrfFor(agent, '/register');
    const input = valid();

    const res = await agent.post('/register').type('form').send({ ...input, _csrf: token });

    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard');
    const stored = await getUserModel(connection).findOne({ email: input.email.toLowerCase() }).lean();
    expect(stored).toMatchObject({ name: 'María José Núñez', role: 'learner', language: 'es' });
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored!.passwordHash).not.toContain(input.password);
    expect(stored).not.toHaveProperty('organisation');
    expect(stored).not.toHaveProperty('deactivatedAt');
    const profile = await agent.get('/profile');
    expect(profile.status).toBe(200);
    expect(profile.text).toContain('<html lang="es">');
    expect(decoded(profile.text)).toContain('¡Le damos la bienvenida, María José Núñez!');
  });

  it('when fields are missing, then the form comes back with 422, a message beside each field, and nothing is stored', async () => {
    const agent = agentFor(connection);
    const token = await csrfFor(agent, '/register');
    const before = await snapshot(connection, ['users']);
    const res = await agent.post('/register').type('form').send({ _csrf: token });
    expect(res.status).toBe(422);
    for (const [field, message] of [
      ['name', 'Enter your name as it should appear on your certificate.'],
      ['email', 'Enter your e-mail address.'],
      ['password', 'Enter your password.'],
      ['language', 'Choose English, Spanish or French.'],
    ] as const) {
      expect(decoded(res.text)).toMatch(new RegExp(`<p class="field-error" id="${field}-error">.*${message.replace(/[.]/g, '\\.')}</p>`));
      expect(res.text).toMatch(new RegExp(`id="${field}" name="${field}"[^>]*aria-describedby="[^"]*${field}-error" aria-invalid="true"`));
    }
    expect(res.text).toContain('role="alert"');
    expect(await snapshot(connection, ['users'])).toEqual(before);
  });

  it.each([
    ['a short password', { password: 'short pass' }, 'password', 'Your password must have at least 12 characters.'],
    ['a common password', { password: 'passwordpassword' }, 'password', 'This password is too common and easy to guess.'],
    ['a common password in capitals', { password: 'QWERTY123456' }, 'password', 'This password is too common and easy to guess.'],
    ['the e-mail as password', { email: 'same.as.password@example.org', password: 'Same.As.Password@example.org' }, 'password', 'Your password must not be your e-mail address.'],
    ['a malformed e-mail', { email: 'maria@' }, 'email', 'Enter an e-mail address in the right format'],
    ['an unknown language', { language: 'de' }, 'language', 'Choose English, Spanish or French.'],
    ['a name of 121 characters', { name: 'a'.repeat(121) }, 'name', 'Your name must be 120 characters or fewer.'],
    ['a name with control characters', { name: 'Ana\u0007' }, 'name', 'Your name contains characters that cannot be printed.'],
  ])('when the form has %s, then it comes back with 422, the message beside the field, the input kept but the password, and nothing stored', async (_label, change, field, message) => {
    const agent = agentFor(connection);
    const token = await csrfFor(agent, '/register');
    const input = { ...valid(), ...change };
    const before = await snapshot(connection, ['users']);

    const res = await agent.post('/register').type('form').send({ ...input, _csrf: token });

    expect(res.status).toBe(422);
    expect(decoded(res.text)).toMatch(new RegExp(`id="${field}-error">.*${message.replace(/[.]/g, '\\.')}`));
    if (field !== 'name') expect(decoded(res.text)).toContain(`value="${input.name}"`);
    if (field !== 'email') expect(res.text).toContain(`value="${input.email}"`);
    expect(res.text).not.toContain(input.password);
    expect(await snapshot(connection, ['users'])).toEqual(before);
  });

  it('when the e-mail is already used in another case, then the form says so beside the e-mail and no account is added', async () => {
    const existing = await createUser(connection, { email: 'taken.address@example.org' });
    const agent = agentFor(connection);
    const token = await csrfFor(agent, '/register');
    const before = await snapshot(connection, ['users']);

    const res = await agent
      .post('/register')
      .type('form')
      .send({ ...valid(), email: ' Taken.Address@EXAMPLE.org', _csrf: token });

    expect(res.status).toBe(422);
    expect(decoded(res.text)).toMatch(/id="email-error">.*An account already uses this e-mail address\./);
    expect(await snapshot(connection, ['users'])).toEqual(before);
    expect(await getUserModel(connection).countDocuments({ email: existing.email })).toBe(1);
  });

  it('when two sign-ups with the same e-mail race, then the unique index lets exactly one through', async () => {
    const email = `race-${Date.now()}@example.org`;
    const agents = [agentFor(connection), agentFor(connection), agentFor(connection)];
    const tokens = await Promise.all(agents.map((a) => csrfFor(a, '/register')));
    const results = await Promise.all(
      agents.map((a, i) => a.post('/register').type('form').send({ ...valid(), email, _csrf: tokens[i] })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([303, 422, 422]);
    expect(await getUserModel(connection).countDocuments({ email })).toBe(1);
  });

  it('when the body is JSON with operator objects, then it is a 422 and nothing is stored', async () => {
    const agent = agentFor(connection);
    const token = await csrfFor(agent, '/register');
    const before = await snapshot(connection, ['users']);
    const res = await agent
      .post('/register')
      .set('x-csrf-token', token)
      .send({ name: { $ne: null }, email: { $gt: '' }, password: strongPassword(), language: 'en' });
    expect(res.status).toBe(422);
    expect(await snapshot(connection, ['users'])).toEqual(before);
  });

  it('when the CSRF token is missing or forged, then it gets 403 and nothing is stored', async () => {
    const agent = agentFor(connection);
    await agent.get('/register');
    const before = await snapshot(connection, ['users', 'sessions']);
    expect((await agent.post('/register').type('form').send(valid())).status).toBe(403);
    expect((await agent.post('/register').type('form').send({ ...valid(), _csrf: 'forged' })).status).toBe(403);
    expect(await snapshot(connection, ['users', 'sessions'])).toEqual(before);
  });

  it('when the name contains markup, then it is shown escaped in the header and the profile', async () => {
    const agent = agentFor(connection);
    const token = csrfFrom((await agent.get('/register')).text);
    const name = '<script>alert("x")</script> & <b>Bo</b>';
    const res = await agent.post('/register').type('form').send({ ...valid(), name, language: 'en', _csrf: token });
    expect(res.status).toBe(303);
    const profile = await agent.get('/profile');
    expect(profile.text).not.toContain('<script>alert');
    expect(profile.text).not.toContain('<b>Bo</b>');
    expect(profile.text).toContain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;Bo&lt;/b&gt;');
    expect(profile.text).toMatch(/class="nav-user">\(&lt;script&gt;/);
  });
});
