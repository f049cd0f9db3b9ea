import { Router } from 'express';
import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { purgeExpiredSessions } from '../../../src/platform/session';
import { agentFor, buildApp, csrfFrom, decoded } from '../../helpers/build-app';
import { connectTestDatabase } from '../../helpers/database';

let connection: Connection;

/** Routes that only the tests mount: a form, a state-changing POST and a route that throws. */
function probeRouter(): Router {
  const router = Router();
  router.get('/probe/form', (_req, res) => {
    res.send(`<form method="post"><input type="hidden" name="_csrf" value="${res.locals.csrfToken()}"></form>`);
  });
  router.post('/probe/write', async (req, res) => {
    await connection.collection('probe').insertOne({ value: req.body.value });
    res.status(201).send('written');
  });
  router.get('/probe/boom', () => {
    throw new Error('secret internal detail at /srv/app/db.ts');
  });
  return router;
}

beforeAll(async () => {
  connection = await connectTestDatabase();
});
afterAll(async () => {
  await connection.close();
});

describe('health probes', () => {
  it('when the process is up, then /healthz answers 200', async () => {
    const res = await supertest(buildApp(connection)).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('when the database answers, then /readyz answers 200 and sets no session cookie', async () => {
    const res = await supertest(buildApp(connection)).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.database).toBe('up');
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('languages', () => {
  const app = () => supertest(buildApp(connection));

  it('when nothing says otherwise, then pages are in English', async () => {
    const res = await app().get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="en">');
  });

  it('when ?lng=es is given, then the page is in Spanish and the choice is remembered', async () => {
    const agent = agentFor(connection);
    const res = await agent.get('/?lng=es');
    expect(res.text).toContain('<html lang="es">');
    expect(res.text).toContain('Localización de los ODS');
    const next = await agent.get('/');
    expect(next.text).toContain('<html lang="es">');
  });

  it('when the browser asks for French, then the page is in French', async () => {
    const res = await app().get('/').set('Accept-Language', 'fr-CA,fr;q=0.9,en;q=0.5');
    expect(res.text).toContain('<html lang="fr">');
    expect(res.text).toContain('Localisation des ODD');
    expect(res.headers['content-language']).toBe('fr');
  });

  it('when ?lng= and Accept-Language disagree, then ?lng= wins', async () => {
    const res = await app().get('/?lng=fr').set('Accept-Language', 'es');
    expect(res.text).toContain('<html lang="fr">');
  });

  it('when an unsupported language is asked for, then English is used', async () => {
    const res = await app().get('/?lng=de').set('Accept-Language', 'de');
    expect(res.text).toContain('<html lang="en">');
  });

  it('when a page is shown, then a switcher links to the same page in each language', async () => {
    const res = await app().get('/?lng=es');
    expect(res.text).toContain('href="/?lng=en"');
    expect(res.text).toContain('href="/?lng=fr"');
    expect(res.text).toMatch(/href="\/\?lng=es"[^>]*aria-current="true"/);
  });
});

describe('errors', () => {
  it('when a route does not exist, then a translated 404 page is shown', async () => {
    const res = await supertest(buildApp(connection)).get('/no/such/page?lng=es');
    expect(res.status).toBe(404);
    expect(res.text).toContain('<html lang="es">');
    expect(res.text).toContain('Página no encontrada');
  });

  it('when a handler throws, then a translated 500 page reveals nothing internal', async () => {
    const app = buildApp(connection, { extraRouters: [probeRouter()] });
    const res = await supertest(app).get('/probe/boom').set('Accept-Language', 'fr');
    expect(res.status).toBe(500);
    expect(res.text).toContain('<html lang="fr">');
    expect(decoded(res.text)).toContain("Une erreur s'est produite");
    expect(res.text).not.toMatch(/secret internal detail|at .*\.ts|Error:/);
  });

  it('when a client asks for JSON, then the error is JSON with a stable code', async () => {
    const res = await supertest(buildApp(connection)).get('/nowhere').set('Accept', 'application/json');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('when the body is malformed JSON, then it is a 400, not a 500', async () => {
    const res = await supertest(buildApp(connection))
      .post('/probe/write')
      .set('Content-Type', 'application/json')
      .send('{"value": ');
    expect(res.status).toBe(400);
  });
});

describe('CSRF and body limits', () => {
  it('when a POST has no CSRF token, then it gets 403 and nothing is written', async () => {
    const agent = agentFor(connection, { extraRouters: [probeRouter()] });
    await agent.get('/probe/form');
    const res = await agent.post('/probe/write').type('form').send({ value: 'x' });
    expect(res.status).toBe(403);
    expect(await connection.collection('probe').countDocuments()).toBe(0);
  });

  it('when a POST carries a forged token, then it gets 403 and nothing is written', async () => {
    const agent = agentFor(connection, { extraRouters: [probeRouter()] });
    await agent.get('/probe/form');
    const res = await agent.post('/probe/write').type('form').send({ value: 'x', _csrf: 'forged-token-value' });
    expect(res.status).toBe(403);
    expect(await connection.collection('probe').countDocuments()).toBe(0);
  });

  it('when a POST carries the token from the form or the header, then it goes through', async () => {
    const agent = agentFor(connection, { extraRouters: [probeRouter()] });
    const token = csrfFrom((await agent.get('/probe/form')).text);
    expect((await agent.post('/probe/write').type('form').send({ value: 'a', _csrf: token })).status).toBe(201);
    expect((await agent.post('/probe/write').set('x-csrf-token', token).send({ value: 'b' })).status).toBe(201);
    const values = (await connection.collection('probe').find().toArray()).map((d) => d.value).sort();
    expect(values).toEqual(['a', 'b']);
    await connection.collection('probe').deleteMany({});
  });

  it('when a body is larger than the limit, then it gets 413 and nothing is written', async () => {
    const agent = agentFor(connection, { extraRouters: [probeRouter()] });
    const token = csrfFrom((await agent.get('/probe/form')).text);
    const res = await agent
      .post('/probe/write')
      .type('form')
      .send({ value: 'x'.repeat(200 * 1024), _csrf: token });
    expect(res.status).toBe(413);
    expect(await connection.collection('probe').countDocuments()).toBe(0);
  });
});

describe('security headers', () => {
  it('when any page is served, then the CSP allows no inline script and the server is not advertised', async () => {
    const res = await supertest(buildApp(connection)).get('/');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toMatch(/^[\w-]+$/);
  });

  it('when a page has no form, then no session is started', async () => {
    const res = await supertest(buildApp(connection)).get('/');
    expect(res.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^sdg\.sid=/)]));
  });
});

describe('session expiry', () => {
  it('when sessions have expired, then the purge deletes them and keeps the live ones', async () => {
    const sessions = connection.collection<{ _id: string; expires: Date; session: object }>('sessions');
    await sessions.insertMany([
      { _id: 'old', expires: new Date(Date.now() - 1000), session: {} },
      { _id: 'live', expires: new Date(Date.now() + 3600_000), session: {} },
    ]);
    expect(await purgeExpiredSessions(connection)).toBe(1);
    const left = (await sessions.find().toArray()).map((s) => s._id);
    expect(left).toContain('live');
    expect(left).not.toContain('old');
  });
});
