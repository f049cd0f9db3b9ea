import type { Connection } from 'mongoose';
import type TestAgent from 'supertest/lib/agent';
import { ensureIndexes } from '../../../src/bootstrap';
import { getUserModel } from '../../../src/features/accounts';
import { auditLogFor } from '../../../src/features/audit';
import { agentFor, csrfFrom, decoded } from '../../helpers/build-app';
import { connectTestDatabase } from '../../helpers/database';
import { createUser, csrfFor, loginAs, snapshot, type TestUser } from '../../helpers/factories';

let connection: Connection;
let admin: TestUser;
let adminAgent: TestAgent;

beforeAll(async () => {
  connection = await connectTestDatabase('_admin');
  await ensureIndexes(connection);
  admin = await createUser(connection, { role: 'admin', name: 'Ada Admin' });
  adminAgent = agentFor(connection);
  await loginAs(adminAgent, admin);
});
afterAll(async () => {
  await connection.close();
});

const adminToken = async () => csrfFrom((await adminAgent.get('/admin/users')).text);
const stored = (id: string) => getUserModel(connection).findById(id).lean();

describe('who may use the admin pages', () => {
  const routes = (id: string) => [
    { method: 'get', path: '/admin/users', body: {} },
    { method: 'get', path: '/admin/users?q=ana&page=2', body: {} },
    { method: 'get', path: '/admin/audit', body: {} },
    { method: 'post', path: `/admin/users/${id}/role`, body: { role: 'admin' } },
    { method: 'post', path: `/admin/users/${id}/deactivate`, body: {} },
    { method: 'post', path: `/admin/users/${id}/reactivate`, body: {} },
  ] as const;

  it.each(['learner', 'trainer'] as const)('when a %s asks for any admin route, then every one answers 403 and nothing changes', async (role) => {
    const victim = await createUser(connection);
    const user = await createUser(connection, { role });
    const agent = agentFor(connection);
    await loginAs(agent, user);
    const token = csrfFrom((await agent.get('/profile')).text);
    const before = await snapshot(connection, ['users', 'audit_events']);
    for (const route of routes(victim.id)) {
      const res =
        route.method === 'get'
          ? await agent.get(route.path)
          : await agent.post(route.path).type('form').send({ ...route.body, _csrf: token });
      expect([route.method, route.path, res.status]).toEqual([route.method, route.path, 403]);
      expect(decoded(res.text)).toContain('Your account does not have access to this page.');
    }
    expect(await snapshot(connection, ['users', 'audit_events'])).toEqual(before);
  });

  it('when an anonymous visitor asks for an admin page, then they are sent to log in and brought back', async () => {
    for (const path of ['/admin/users', '/admin/users?q=ana&page=2', '/admin/audit']) {
      const res = await agentFor(connection).get(path);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it('when an anonymous visitor posts to an admin route, then it is refused and nothing changes', async () => {
    const victim = await createUser(connection);
    const agent = agentFor(connection);
    const token = await csrfFor(agent);
    const before = await snapshot(connection, ['users', 'audit_events']);
    for (const route of routes(victim.id).filter((r) => r.method === 'post')) {
      const res = await agent.post(route.path).type('form').send({ ...route.body, _csrf: token });
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/login');
    }
    expect(await snapshot(connection, ['users', 'audit_events'])).toEqual(before);
  });

  it('when an admin asks for the admin pages, then they are shown and the header links to them', async () => {
    const users = await adminAgent.get('/admin/users');
    const audit = await adminAgent.get('/admin/audit');
    expect(users.status).toBe(200);
    expect(audit.status).toBe(200);
    expect(users.headers['cache-control']).toBe('no-store');
    expect(users.text).toContain('<a href="/admin/users">Administration</a>');
  });

  it('when a learner sees the header, then it has no admin link', async () => {
    const user = await createUser(connection);
    const agent = agentFor(connection);
    await loginAs(agent, user);
    expect((await agent.get('/profile')).text).not.toContain('href="/admin/users"');
  });
});

describe('the accounts list', () => {
  it('when names contain markup, then the list shows them escaped', async () => {
    await createUser(connection, { name: '<script>alert(1)</script>', email: 'markup.name@example.org' });
    const res = await adminAgent.get('/admin/users?q=markup.name');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('when searching, then only accounts whose name or e-mail contains the text (any case) are listed, and regex characters are plain text', async () => {
    await createUser(connection, { name: 'Searchable Person', email: 'findme.one@example.org' });
    await createUser(connection, { name: 'Other Person', email: 'other.person@example.org' });
    const byEmail = await adminAgent.get('/admin/users?q=FINDME');
    expect(byEmail.text).toContain('findme.one@example.org');
    expect(byEmail.text).not.toContain('other.person@example.org');
    const byName = await adminAgent.get('/admin/users?q=searchable');
    expect(byName.text).toContain('findme.one@example.org');
    const regex = await adminAgent.get(`/admin/users?q=${encodeURIComponent('.*')}`);
    expect(regex.status).toBe(200);
    expect(decoded(regex.text)).toContain('No account matches your search.');
  });

  it('when there are more accounts than fit a page, then the list is paginated and keeps the search', async () => {
    for (let i = 0; i < 23; i++) await createUser(connection, { name: `Paged ${i}`, email: `paged-${i}@example.org` });
    const first = await adminAgent.get('/admin/users?q=paged-');
    expect(decoded(first.text)).toContain('Accounts found: 23. Page 1 of 2.');
    expect(first.text).toContain('href="/admin/users?q=paged-&amp;page=2"');
    const second = await adminAgent.get('/admin/users?q=paged-&page=2');
    expect((second.text.match(/paged-\d+@example\.org/g) ?? []).length).toBe(3);
    const beyond = await adminAgent.get('/admin/users?q=paged-&page=99');
    expect(decoded(beyond.text)).toContain('Page 2 of 2.');
    const junk = await adminAgent.get('/admin/users?page=abc&q[$gt]=');
    expect(junk.status).toBe(200);
  });
});

describe('changing roles', () => {
  it('when an admin changes a role, then it is stored, audited, and counts at once for the user', async () => {
    const user = await createUser(connection, { name: 'Tomás Trainer' });
    const agent = agentFor(connection);
    await loginAs(agent, user);
    const res = await adminAgent
      .post(`/admin/users/${user.id}/role`)
      .type('form')
      .send({ role: 'admin', back: '/admin/users?q=tom', _csrf: await adminToken() });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/users?q=tom');
    expect((await stored(user.id))!.role).toBe('admin');
    const event = await connection.collection('audit_events').findOne({ action: 'user.roleChanged', targetEmail: user.email });
    expect(event).toMatchObject({ actorEmail: admin.email, details: { from: 'learner', to: 'admin' } });
    expect((await agent.get('/admin/users')).status).toBe(200);
    expect(decoded((await adminAgent.get('/admin/users')).text)).toContain('Tomás Trainer is now an administrator.');
  });

  it('when the role is not one of ours, then it is a 400 and nothing changes', async () => {
    const user = await createUser(connection);
    const token = await adminToken();
    const before = await snapshot(connection, ['users', 'audit_events']);
    const res = await adminAgent.post(`/admin/users/${user.id}/role`).type('form').send({ role: 'superuser', _csrf: token });
    expect(res.status).toBe(400);
    const json = await adminAgent.post(`/admin/users/${user.id}/role`).set('x-csrf-token', token).send({ role: { $ne: 'x' } });
    expect(json.status).toBe(400);
    expect(await snapshot(connection, ['users', 'audit_events'])).toEqual(before);
  });

  it('when the CSRF token is missing or forged, then it gets 403 and nothing changes', async () => {
    const user = await createUser(connection);
    const before = await snapshot(connection, ['users', 'audit_events']);
    expect((await adminAgent.post(`/admin/users/${user.id}/role`).type('form').send({ role: 'admin' })).status).toBe(403);
    expect((await adminAgent.post(`/admin/users/${user.id}/deactivate`).type('form').send({ _csrf: 'forged' })).status).toBe(403);
    expect(await snapshot(connection, ['users', 'audit_events'])).toEqual(before);
  });

  it('when the account does not exist or the id is malformed, then it is a 404 and nothing changes', async () => {
    const token = await adminToken();
    const before = await snapshot(connection, ['users', 'audit_events']);
    expect((await adminAgent.post('/admin/users/64b7f0c2a1b2c3d4e5f60718/role').type('form').send({ role: 'admin', _csrf: token })).status).toBe(404);
    expect((await adminAgent.post('/admin/users/not-an-id/deactivate').type('form').send({ _csrf: token })).status).toBe(404);
    expect(await snapshot(connection, ['users', 'audit_events'])).toEqual(before);
  });

  it('when an admin tries to change their own role or deactivate themself, then it is refused with 409', async () => {
    const token = await adminToken();
    const before = await snapshot(connection, ['users', 'audit_events']);
    const role = await adminAgent.post(`/admin/users/${admin.id}/role`).type('form').send({ role: 'learner', _csrf: token });
    const off = await adminAgent.post(`/admin/users/${admin.id}/deactivate`).type('form').send({ _csrf: token });
    expect(role.status).toBe(409);
    expect(off.status).toBe(409);
    expect(decoded(role.text)).toContain('You cannot change your own role or deactivate your own account.');
    expect(await snapshot(connection, ['users', 'audit_events'])).toEqual(before);
  });
});

describe('deactivating', () => {
  it('when an admin deactivates an account, then its sessions end at once, it cannot log in, and it is audited', async () => {
    const user = await createUser(connection);
    const agent = agentFor(connection);
    await loginAs(agent, user);
    const res = await adminAgent.post(`/admin/users/${user.id}/deactivate`).type('form').send({ back: '//evil.example', _csrf: await adminToken() });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/users');
    expect((await stored(user.id))!.deactivatedAt).toBeInstanceOf(Date);
    expect(await connection.collection('sessions').countDocuments({ userId: user.id })).toBe(0);
    expect((await agent.get('/profile')).status).toBe(302);
    const again = agentFor(connection);
    const token = await csrfFor(again);
    expect((await again.post('/login').type('form').send({ email: user.email, password: user.password, _csrf: token })).status).toBe(403);
    expect(await connection.collection('audit_events').countDocuments({ action: 'user.deactivated', targetEmail: user.email })).toBe(1);
  });

  it('when an admin reactivates an account, then it can log in again', async () => {
    const user = await createUser(connection, { deactivated: true });
    const res = await adminAgent.post(`/admin/users/${user.id}/reactivate`).type('form').send({ _csrf: await adminToken() });
    expect(res.status).toBe(303);
    expect(await stored(user.id)).not.toHaveProperty('deactivatedAt');
    await loginAs(agentFor(connection), user);
  });
});

describe('the audit log', () => {
  it('when security events happen, then admins see them newest first, translated, with who and from where', async () => {
    const user = await createUser(connection);
    const agent = agentFor(connection);
    const token = await csrfFor(agent);
    await agent.post('/login').type('form').send({ email: user.email, password: 'wrong password here', _csrf: token });
    await loginAs(agent, user);
    const spanishAdmin = agentFor(connection);
    await loginAs(spanishAdmin, await createUser(connection, { role: 'admin', language: 'es' }));
    const res = await spanishAdmin.get('/admin/audit');
    expect(res.status).toBe(200);
    const text = decoded(res.text);
    const success = text.indexOf('Inicio de sesión</td>');
    const failure = text.indexOf('Inicio de sesión fallido');
    expect(success).toBeGreaterThan(-1);
    expect(failure).toBeGreaterThan(success);
    expect(text).toContain('motivo: contraseña incorrecta');
    expect(text).toContain(user.email);
    expect(text).toContain('127.0.0.1');
  });

  it('when there are many events, then the log is paginated, 50 to a page', async () => {
    for (let i = 0; i < 60; i++) await auditLogFor(connection).record({ action: 'test.filler', details: { n: String(i) } });
    const res = await adminAgent.get('/admin/audit');
    const total = await connection.collection('audit_events').countDocuments();
    expect(decoded(res.text)).toContain(`Events: ${total}. Page 1 of ${Math.ceil(total / 50)}.`);
    expect(res.text).toContain('href="/admin/audit?page=2"');
    expect((res.text.match(/<time datetime=/g) ?? []).length).toBe(50);
    expect((await adminAgent.get('/admin/audit?page=2')).status).toBe(200);
  });

  it('when an event names a user with markup, then it is escaped', async () => {
    await auditLogFor(connection).record({ action: 'test.markup', target: { email: '<b>x</b>@example.org' } });
    const res = await adminAgent.get('/admin/audit');
    expect(res.text).not.toContain('<b>x</b>');
    expect(res.text).toContain('&lt;b&gt;x&lt;/b&gt;@example.org');
  });
});
