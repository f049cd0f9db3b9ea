import type { Connection } from 'mongoose';
import { ensureIndexes } from '../../../src/bootstrap';
import { getUserModel } from '../../../src/features/accounts';
import { agentFor, csrfFrom, decoded } from '../../helpers/build-app';
import { connectTestDatabase } from '../../helpers/database';
import { createUser, loginAs, snapshot, strongPassword } from '../../helpers/factories';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase('_profile');
  await ensureIndexes(connection);
});
afterAll(async () => {
  await connection.close();
});

async function signedIn(overrides: Parameters<typeof createUser>[1] = {}) {
  const user = await createUser(connection, overrides);
  const agent = agentFor(connection);
  await loginAs(agent, user);
  const page = await agent.get('/profile');
  return { user, agent, token: csrfFrom(page.text), page };
}

const stored = (id: string) => getUserModel(connection).findById(id).lean();

describe('the profile page', () => {
  it('when an anonymous user opens it, then they are sent to log in', async () => {
    const res = await agentFor(connection).get('/profile');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fprofile');
  });

  it('when a user opens it, then it shows their details in labelled fields and is not cached', async () => {
    const { page } = await signedIn({ name: 'Nguyễn Thị Minh Khai', organisation: 'Ciudad de México', country: 'MX' });
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(decoded(page.text)).toContain('value="Nguyễn Thị Minh Khai"');
    expect(decoded(page.text)).toContain('value="Ciudad de México"');
    expect(page.text).toMatch(/<option value="MX" selected>Mexico<\/option>/);
    for (const id of ['name', 'organisation', 'country', 'position', 'language', 'email', 'email-current-password', 'password-current-password', 'new-password']) {
      expect(page.text).toContain(`<label for="${id}">`);
    }
  });

  it('when the details are saved, then they are stored, empty optional fields are removed rather than null, and the language applies', async () => {
    const { user, agent, token } = await signedIn({ organisation: 'Old org', position: 'Planner' });
    const res = await agent
      .post('/profile')
      .type('form')
      .send({ name: '  Ana María Pérez ', organisation: 'Municipalidad de Lima', country: 'pe', position: '', language: 'fr', _csrf: token });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/profile');
    const doc = await stored(user.id);
    expect(doc).toMatchObject({ name: 'Ana María Pérez', organisation: 'Municipalidad de Lima', country: 'PE', language: 'fr' });
    expect(doc).not.toHaveProperty('position');
    const page = await agent.get('/profile?lng=es');
    expect(page.text).toContain('<html lang="fr">');
    expect(decoded(page.text)).toContain('Votre profil a été enregistré.');
    expect(page.text).toMatch(/<option value="PE" selected>Pérou<\/option>/);
  });

  it('when the details are invalid, then the page comes back with 422, messages beside the fields, the input kept, and nothing stored', async () => {
    const { user, agent, token } = await signedIn();
    const before = await snapshot(connection, ['users']);
    const res = await agent
      .post('/profile')
      .type('form')
      .send({ name: '', organisation: 'x'.repeat(201), country: 'ZZ', position: 'Mayor', language: 'de', _csrf: token });
    expect(res.status).toBe(422);
    const text = decoded(res.text);
    expect(text).toMatch(/id="name-error">.*Enter your name as it should appear on your certificate\./);
    expect(text).toMatch(/id="organisation-error">.*200 characters or fewer/);
    expect(text).toMatch(/id="country-error">.*Choose a country from the list\./);
    expect(text).toMatch(/id="language-error">.*Choose English, Spanish or French\./);
    expect(res.text).toContain('value="Mayor"');
    expect(res.text).toMatch(/id="country" name="country"[^>]*aria-invalid="true"/);
    expect(await snapshot(connection, ['users'])).toEqual(before);
    expect((await stored(user.id))!.name).toBe(user.name);
  });

  it('when the name has markup, then it is escaped on the profile and in the header', async () => {
    const { agent, token } = await signedIn();
    await agent.post('/profile').type('form').send({ name: '<img src=x onerror=alert(1)>', language: 'en', _csrf: token });
    const page = await agent.get('/profile');
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain('value="&lt;img src=x onerror=alert(1)&gt;"');
    expect(page.text).toContain('<span class="nav-user">(&lt;img src=x onerror=alert(1)&gt;)</span>');
  });

  it('when the CSRF token is missing, then the profile is not changed', async () => {
    const { user, agent } = await signedIn();
    const before = await snapshot(connection, ['users']);
    const res = await agent.post('/profile').type('form').send({ name: 'Someone Else', language: 'en' });
    expect(res.status).toBe(403);
    expect(await snapshot(connection, ['users'])).toEqual(before);
    expect((await stored(user.id))!.name).toBe(user.name);
  });
});

describe('changing the e-mail address', () => {
  it('when the current password is given, then the e-mail changes (lower-cased) and the change is audited', async () => {
    const { user, agent, token } = await signedIn();
    const res = await agent.post('/profile/email').type('form').send({ email: 'New.Address@Example.org', currentPassword: user.password, _csrf: token });
    expect(res.status).toBe(303);
    expect((await stored(user.id))!.email).toBe('new.address@example.org');
    expect(await connection.collection('audit_events').countDocuments({ action: 'user.emailChanged', targetId: { $exists: true } })).toBeGreaterThan(0);
  });

  it('when the current password is wrong or missing, then the form says so beside it and nothing changes', async () => {
    const { user, agent, token } = await signedIn();
    const before = await snapshot(connection, ['users']);
    const wrong = await agent.post('/profile/email').type('form').send({ email: 'other@example.org', currentPassword: 'not my password', _csrf: token });
    expect(wrong.status).toBe(422);
    expect(decoded(wrong.text)).toMatch(/id="email-current-password-error">.*Your current password is not right\./);
    expect(wrong.text).toContain('value="other@example.org"');
    expect(wrong.text).not.toContain('not my password');
    const missing = await agent.post('/profile/email').type('form').send({ email: 'other@example.org', _csrf: token });
    expect(missing.status).toBe(422);
    expect(await snapshot(connection, ['users'])).toEqual(before);
    expect((await stored(user.id))!.email).toBe(user.email);
  });

  it('when the new e-mail belongs to another account in another case, then it is refused beside the e-mail field', async () => {
    const other = await createUser(connection, { email: 'someone.taken@example.org' });
    const { user, agent, token } = await signedIn();
    const before = await snapshot(connection, ['users']);
    const res = await agent.post('/profile/email').type('form').send({ email: 'SOMEONE.Taken@example.org', currentPassword: user.password, _csrf: token });
    expect(res.status).toBe(422);
    expect(decoded(res.text)).toMatch(/id="email-error">.*An account already uses this e-mail address\./);
    expect(await snapshot(connection, ['users'])).toEqual(before);
    expect(other.email).toBe('someone.taken@example.org');
  });
});

describe('changing the password', () => {
  it('when the current password is right, then the password changes and the user’s other sessions end but this one stays', async () => {
    const { user, agent, token } = await signedIn();
    const other = agentFor(connection);
    await loginAs(other, user);
    const newPassword = strongPassword();
    const res = await agent.post('/profile/password').type('form').send({ currentPassword: user.password, newPassword, _csrf: token });
    expect(res.status).toBe(303);
    expect((await agent.get('/profile')).status).toBe(200);
    expect((await other.get('/profile')).status).toBe(302);
    expect(await connection.collection('sessions').countDocuments({ userId: user.id })).toBe(1);
    await loginAs(agentFor(connection), { email: user.email, password: newPassword });
  });

  it('when the current password is wrong or the new one is weak, then the form says so and nothing changes', async () => {
    const { user, agent, token } = await signedIn();
    const before = await snapshot(connection, ['users']);
    const wrong = await agent.post('/profile/password').type('form').send({ currentPassword: 'nope nope nope', newPassword: strongPassword(), _csrf: token });
    expect(wrong.status).toBe(422);
    expect(decoded(wrong.text)).toMatch(/id="password-current-password-error">.*Your current password is not right\./);
    const weak = await agent.post('/profile/password').type('form').send({ currentPassword: user.password, newPassword: 'iloveyou', _csrf: token });
    expect(weak.status).toBe(422);
    expect(decoded(weak.text)).toMatch(/id="new-password-error">.*at least 12 characters/);
    expect(await snapshot(connection, ['users'])).toEqual(before);
  });
});

describe('the language of a signed-in user', () => {
  it('when a signed-in user has a preferred language, then it wins over ?lng= and the browser', async () => {
    const { agent } = await signedIn({ language: 'fr' });
    const res = await agent.get('/profile?lng=es').set('Accept-Language', 'es');
    expect(res.text).toContain('<html lang="fr">');
  });

  it('when a signed-in user sees the switcher, then it is a form with one button per language, not ?lng= links', async () => {
    const { page } = await signedIn({ language: 'en' });
    expect(page.text).toContain('<form method="post" action="/language">');
    expect(page.text).toContain('<input type="hidden" name="next" value="/profile">');
    for (const code of ['en', 'es', 'fr']) expect(page.text).toMatch(new RegExp(`<button type="submit" name="language" value="${code}"`));
    expect(page.text).not.toContain('href="/profile?lng=es"');
  });

  it('when a signed-in user picks another language, then it is stored and they go back to the page they were on', async () => {
    const { user, agent, token } = await signedIn({ language: 'en' });
    const res = await agent.post('/language').type('form').send({ language: 'es', next: '/profile', _csrf: token });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/profile');
    expect((await stored(user.id))!.language).toBe('es');
    expect((await agent.get('/profile')).text).toContain('<html lang="es">');
  });

  it('when next points to another site, then the switcher goes home instead', async () => {
    const { agent, token } = await signedIn();
    const res = await agent.post('/language').type('form').send({ language: 'fr', next: '//evil.example', _csrf: token });
    expect(res.headers.location).toBe('/');
  });

  it('when the language is not one of ours or CSRF is missing, then nothing is stored', async () => {
    const { user, agent, token } = await signedIn({ language: 'en' });
    const before = await snapshot(connection, ['users']);
    expect((await agent.post('/language').type('form').send({ language: 'de', next: '/', _csrf: token })).status).toBe(400);
    expect((await agent.post('/language').type('form').send({ language: 'fr', next: '/' })).status).toBe(403);
    expect(await snapshot(connection, ['users'])).toEqual(before);
    expect((await stored(user.id))!.language).toBe('en');
  });
});
