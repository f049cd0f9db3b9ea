import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { createContentService, moduleMinutes } from '../../../src/features/content';
import { buildApp, decoded } from '../../helpers/build-app';
import { completeLesson } from '../../helpers/cohorts';
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

describe('the home page', () => {
  it.each(['en', 'es', 'fr'] as const)('when a visitor opens it in %s, then it shows the three modules with summary and time, what one gets, the languages and how to start', async (lng) => {
    const res = await supertest(buildApp(connection)).get(`/?lng=${lng}`);
    expect(res.status).toBe(200);
    const html = decoded(res.text);
    const modules = await createContentService({ connection }).modules();
    expect(modules).toHaveLength(3);
    for (const m of modules) {
      expect(html).toContain(`<a href="/modules/${m.moduleId}">${m.title[lng]}</a>`);
      expect(html).toContain(m.summary[lng]);
      expect(html).toContain(`${moduleMinutes(m, lng).total} min`);
    }
    expect(html).toMatch(/id="home-gets"/);
    expect(html).toContain('<li lang="es">Español</li>');
    expect(html).toContain('href="/register"');
    expect(html).not.toContain('course-progress');
    expect(html).not.toMatch(/<img|<script(?! src="\/static\/)/);
  });

  it('when a signed-in learner with one lesson done opens it, then it shows their progress and next step', async () => {
    const learner = await signedInAgent(connection, { language: 'fr' });
    await completeLesson(learner, 'introduction', 'from-mdgs-to-sdgs');
    const html = decoded((await learner.agent.get('/')).text);
    expect(html).toContain('<progress id="course-progress-bar" max="21" value="1">');
    expect(html).toContain('4 % fait');
    expect(html).toMatch(/<a class="button" href="\/modules\/introduction\/lessons\/what-localizing-means" data-next-step>Reprendre là où vous en étiez<\/a>/);
    expect(html).not.toContain('href="/register"');
  });
});
