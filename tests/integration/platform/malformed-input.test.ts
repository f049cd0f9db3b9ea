import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { buildApp, csrfFrom, decoded } from '../../helpers/build-app';
import { COHORT_COLLECTIONS, createCohort } from '../../helpers/cohorts';
import { connectTestDatabase } from '../../helpers/database';
import { createUser, snapshot } from '../../helpers/factories';
import { type SignedIn, signedInAgent } from '../../helpers/learner';

let connection: Connection;
let trainer: SignedIn;
let admin: SignedIn;

beforeAll(async () => {
  connection = await connectTestDatabase('_malformed');
  trainer = await signedInAgent(connection, { role: 'trainer' });
  admin = await signedInAgent(connection, { role: 'admin' });
});
afterAll(async () => {
  await connection.close();
});

/** Sends bytes exactly as given (supertest would fix a broken multipart body for us). */
async function rawRequest(agent: SignedIn['agent'], options: { method: string; path: string; headers: Record<string, string>; body?: Buffer | string }) {
  const cookies = agent.jar.getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false } as never);
  const server = http.createServer(buildApp(connection));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: options.method,
          path: options.path,
          headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; '), ...options.headers },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(options.body);
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('malformed cookies and paths', () => {
  it.each([
    ['sdg.sid', 'j:{"a":1}'],
    ['sdg.sid', 'j:[1,2]'],
    ['sdg.sid', 'j:"x"'],
    ['i18next', 'j:{"en":1}'],
    ['i18next', 'j:["fr"]'],
    ['sdg.sid', 's:j:{}'],
    ['sdg.sid', '%E0%A4%A'],
  ])('when the cookie %s is %s, then pages still answer for anonymous visitors', async (name, value) => {
    const app = supertest(buildApp(connection));
    for (const path of ['/', '/login', '/modules', '/no-such-page']) {
      const res = await app.get(path).set('Cookie', `${name}=${value}`);
      expect(res.status).toBeLessThan(500);
    }
  });

  it('when a session cookie is JSON, then a form post is refused as a missing session, not a crash', async () => {
    const res = await supertest(buildApp(connection)).post('/login').set('Cookie', 'sdg.sid=j:{"a":1}').type('form').send({ email: 'a@b.c', password: 'x' });
    expect(res.status).toBe(403);
  });

  it.each(['/modules/%C0%AF', '/modules/%E0%A4%A', '/modules/%', '/modules/intro/lessons/%ZZ', '/verify/%FF', '/trainer/cohorts/%E0%A4%A', '/password/reset/%C0'])(
    'when the path %s has a bad percent-escape, then the answer is 400',
    async (path) => {
      const res = await supertest(buildApp(connection)).get(path);
      expect(res.status).toBe(400);
      expect(res.text).toContain('<html lang="en"');
    },
  );
});

describe('uploads that are not well-formed multipart', () => {
  const boundary = 'XyZboundary123';
  const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const filePart = (field: string, filename: string, content: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n`;

  async function enrolRaw(body: string, contentType = `multipart/form-data; boundary=${boundary}`) {
    const { id } = await createCohort(trainer.agent);
    const token = csrfFrom((await trainer.agent.get(`/trainer/cohorts/${id}/manage`)).text);
    const before = await snapshot(connection, COHORT_COLLECTIONS);
    const res = await rawRequest(trainer.agent, {
      method: 'POST',
      path: `/trainer/cohorts/${id}/enrol`,
      headers: { 'content-type': contentType },
      body: body.replaceAll('TOKEN', token),
    });
    return { res, before, after: await snapshot(connection, COHORT_COLLECTIONS) };
  }

  it('when two files are posted to the enrolment form, then it comes back with 422 and the reason, enrolling no one', async () => {
    await createUser(connection, { email: 'two.files@example.org' });
    const body = `${part('_csrf', 'TOKEN')}${filePart('file', 'a.csv', 'two.files@example.org')}${filePart('file', 'b.csv', 'two.files@example.org')}--${boundary}--\r\n`;
    const { res, before, after } = await enrolRaw(body);
    expect(res.status).toBe(422);
    expect(decoded(res.text)).toContain('The file could not be received. Please try again.');
    expect(after).toEqual(before);
  });

  it('when the enrolment body is cut short, then it is refused with 403 (its token is lost) and nothing changes', async () => {
    const body = `${part('_csrf', 'TOKEN')}${filePart('file', 'a.csv', 'someone@example.org')}`.slice(0, -20);
    const { res, before, after } = await enrolRaw(body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(after).toEqual(before);
  });

  it('when the token arrives but the body ends before the file does, then the form explains it with 422', async () => {
    const body = `${part('_csrf', 'TOKEN')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nsomeone@exa`;
    const { res, before, after } = await enrolRaw(body);
    expect(res.status).toBe(422);
    expect(after).toEqual(before);
  });

  it.each([
    ['no boundary', 'multipart/form-data'],
    ['an empty boundary', 'multipart/form-data; boundary='],
    ['another boundary', 'multipart/form-data; boundary=somethingelse'],
  ])('when the multipart type has %s, then the enrolment is refused below 500 and nothing changes', async (_label, type) => {
    const body = `${part('_csrf', 'TOKEN')}--${boundary}--\r\n`;
    const { res, before, after } = await enrolRaw(body, type);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(after).toEqual(before);
  });

  it('when the admin content upload is cut short after its token, then it answers 400 like the enrolment form does', async () => {
    const token = csrfFrom((await admin.agent.get('/admin/content')).text);
    const before = await snapshot(connection, ['module_versions', 'module_releases']);
    const res = await rawRequest(admin.agent, {
      method: 'POST',
      path: '/admin/content',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: `${part('_csrf', token)}--${boundary}\r\nContent-Disposition: form-data; name="package"; filename="m.zip"\r\n\r\nPK\u0003\u0004`,
    });
    expect(res.status).toBe(400);
    expect(await snapshot(connection, ['module_versions', 'module_releases'])).toEqual(before);
  });
});

describe('names with characters that do not print', () => {
  it.each([
    ['a NUL', 'Ana\u0000Pérez'],
    ['a line break', 'Ana\nPérez'],
    ['a right-to-left override', 'Ana \u202eزيد'],
    ['half an emoji', 'Ana \ud83d'],
  ])('when a cohort name has %s, then the form says so with 422 and no cohort is made', async (_label, name) => {
    const page = await trainer.agent.get('/trainer/cohorts');
    const before = await snapshot(connection, COHORT_COLLECTIONS);
    // JSON, because a form encoder would replace half an emoji with U+FFFD before sending it
    const res = await trainer.agent.post('/trainer/cohorts').set('Accept', 'text/html').type('json').send(`{"name":${JSON.stringify(name)},"language":"en","_csrf":"${csrfFrom(page.text)}"}`);
    expect(res.status).toBe(422);
    expect(decoded(res.text)).toContain('The name contains characters that cannot be printed.');
    expect(res.text).not.toContain('\u0000');
    expect(await snapshot(connection, COHORT_COLLECTIONS)).toEqual(before);
  });

  it('when the organisation has a NUL, then the profile form refuses it in the user’s language and keeps the old profile', async () => {
    const learner = await signedInAgent(connection, { language: 'es' });
    const before = await connection.collection('users').findOne({ email: learner.email });
    const res = await learner.agent
      .post('/profile')
      .type('form')
      .send({ name: 'Ana', organisation: 'Ayuntamiento\u0000 de Quito', language: 'es', _csrf: await learner.csrf() });
    expect(res.status).toBe(422);
    expect(decoded(res.text)).toContain('La organización contiene caracteres que no se pueden imprimir.');
    expect(res.text).not.toContain('\u0000');
    expect(await connection.collection('users').findOne({ email: learner.email })).toEqual(before);
  });
});
