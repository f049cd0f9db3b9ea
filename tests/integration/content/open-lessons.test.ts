import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { agentFor, buildApp, csrfFrom, decoded } from '../../helpers/build-app';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { signedInAgent } from '../../helpers/learner';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase();
  await seedCourse(connection);
});
afterAll(async () => {
  await connection.close();
});

const LESSON = '/modules/introduction/lessons/the-roadmap';
const TITLES = {
  en: 'The Roadmap for Localizing the SDGs',
  es: 'La Hoja de ruta para la localización de los ODS',
  fr: 'La Feuille de route pour la localisation des ODD',
};
const INVITES = { en: 'Create a free account', es: 'Crear una cuenta gratuita', fr: 'Créer un compte gratuit' };

describe('an anonymous visitor reading a lesson', () => {
  it.each(['en', 'es', 'fr'] as const)(
    'when a visitor without an account opens a lesson with ?lng=%s, then it is shown in that language with hreflang alternates, a description, no progress controls and an invitation to sign up',
    async (lng) => {
      const res = await supertest(buildApp(connection)).get(`${LESSON}?lng=${lng}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain(`<html lang="${lng}">`);
      expect(decoded(res.text)).toContain(`<h1>${TITLES[lng]}</h1>`);
      expect(decoded(res.text)).toMatch(new RegExp(`<title>${TITLES[lng]} · [^<]+ · SDG Learn</title>`));
      for (const other of ['en', 'es', 'fr']) {
        expect(res.text).toContain(`<link rel="alternate" hreflang="${other}" href="http://localhost:3000${LESSON}?lng=${other}">`);
      }
      expect(res.text).toContain(`<link rel="alternate" hreflang="x-default" href="http://localhost:3000${LESSON}">`);
      expect(res.text).toContain(`<link rel="canonical" href="http://localhost:3000${LESSON}?lng=${lng}">`);
      expect(res.text).toMatch(/<meta name="description" content="[^"]{40,}">/);
      expect(res.text).not.toContain('/complete');
      expect(res.text).not.toContain('lesson-status');
      expect(res.text).not.toContain('name="_csrf"');
      expect(decoded(res.text)).toContain(INVITES[lng]);
      expect(res.text).toContain('href="/register"');
      // a page without forms starts no session
      expect(String(res.headers['set-cookie'] ?? '')).not.toContain('sdg.sid');
    },
  );

  it('when a visitor opens a lesson image, then it is served without an account', async () => {
    const module = await supertest(buildApp(connection)).get('/modules/introduction/lessons/the-roadmap?lng=en');
    const src = /src="(\/modules\/introduction\/media\/[^"]+)"/.exec(module.text)?.[1];
    if (!src) return; // this lesson has no image in this version of the course
    expect((await supertest(buildApp(connection)).get(src)).status).toBe(200);
  });

  it('when a signed-in learner opens the same lesson, then the "mark as complete" form is shown and no invitation', async () => {
    const learner = await signedInAgent(connection);
    const res = await learner.agent.get(LESSON);
    expect(res.text).toContain(`action="${LESSON}/complete"`);
    expect(res.text).not.toContain('Create a free account');
    expect(res.headers['cache-control']).toBe('private, no-cache');
  });
});

describe('what still needs an account', () => {
  it('when a visitor posts "mark as complete" with a valid CSRF token, then they are sent to log in and nothing is stored', async () => {
    const agent = agentFor(connection);
    const token = csrfFrom((await agent.get('/login')).text);
    const before = await connection.collection('lesson_completions').countDocuments();
    const res = await agent.post(`${LESSON}/complete`).type('form').send({ _csrf: token });
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
    expect(await connection.collection('lesson_completions').countDocuments()).toBe(before);
  });

  it.each(['/modules/introduction/quiz', '/dashboard'])('when a visitor opens %s, then they are sent to log in', async (path) => {
    const res = await supertest(buildApp(connection)).get(path);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
  });
});

describe('validators on lesson pages', () => {
  it('when a visitor asks again with the ETag they were given, then the answer is 304 with no body', async () => {
    const app = buildApp(connection);
    const first = await supertest(app).get(`${LESSON}?lng=es`);
    expect(first.headers.etag).toMatch(/^W\/"[\w-]+"$/);
    expect(new Date(first.headers['last-modified']!).getTime()).toBeGreaterThan(0);
    const again = await supertest(app).get(`${LESSON}?lng=es`).set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
    expect(again.text).toBeFalsy();
    const byDate = await supertest(app).get(`${LESSON}?lng=es`).set('If-Modified-Since', first.headers['last-modified']!);
    expect(byDate.status).toBe(304);
  });

  it('when a signed-in learner asks again with the ETag of the same page, then the answer is 304 too', async () => {
    const learner = await signedInAgent(connection);
    await learner.agent.get(LESSON); // the first page after signing in shows a one-time welcome
    const first = await learner.agent.get(LESSON);
    expect(first.headers.etag).toBeTruthy();
    const again = await learner.agent.get(LESSON).set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
  });

  it('when the language differs, then the validator differs and the page is sent in full', async () => {
    const app = buildApp(connection);
    const es = await supertest(app).get(`${LESSON}?lng=es`);
    const fr = await supertest(app).get(`${LESSON}?lng=fr`).set('If-None-Match', es.headers.etag!);
    expect(fr.status).toBe(200);
    expect(fr.headers.etag).not.toBe(es.headers.etag);
  });
});

describe('the sitemap', () => {
  it('when a search engine reads /sitemap.xml, then every lesson is listed in the three languages with alternates', async () => {
    const res = await supertest(buildApp(connection)).get('/sitemap.xml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/xml/);
    for (const lng of ['en', 'es', 'fr']) expect(res.text).toContain(`<loc>http://localhost:3000${LESSON}?lng=${lng}</loc>`);
    expect((res.text.match(/<url>/g) ?? []).length).toBe((2 + 3 + 18) * 3);
    const robots = await supertest(buildApp(connection)).get('/robots.txt');
    expect(robots.text).toContain('Sitemap: http://localhost:3000/sitemap.xml');
  });
});
