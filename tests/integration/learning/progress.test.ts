import type { Connection } from 'mongoose';
import { createContentService, loadModulePackage, readPackageFolder } from '../../../src/features/content';
import { type CourseCompleted, createLearningEvents } from '../../../src/features/learning';
import { modulesDir } from '../../../src/platform/paths';
import { buildApp, csrfFrom, decoded } from '../../helpers/build-app';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { type SignedIn, signedInAgent } from '../../helpers/learner';
import { answersFor, attemptIdFrom, formBody } from '../../helpers/quiz';
import { createApp } from '../../../src/app';
import { createLogger } from '../../../src/platform/logger';
import { testConfig } from '../../helpers/build-app';

let connection: Connection;
const MODULES = {
  introduction: ['from-mdgs-to-sdgs', 'what-localizing-means', 'the-roadmap', 'awareness-and-advocacy', 'implementation-and-monitoring', 'worksheet'],
  'territorial-planning': ['localizing-and-planning', 'the-planning-cycle', 'sdg-principles', 'aligning-a-local-plan', 'indicators-and-monitoring', 'worksheet'],
  reporting: ['how-sdg-reporting-works', 'role-of-associations', 'vlrs-and-vsrs', 'first-vlrs', 'reporting-strategy', 'worksheet'],
} as const;
type ModuleId = keyof typeof MODULES;

beforeAll(async () => {
  connection = await connectTestDatabase();
  await seedCourse(connection);
});
afterAll(async () => {
  await connection.close();
});

async function completeLesson(learner: SignedIn, moduleId: string, lessonId: string) {
  const page = await learner.agent.get(`/modules/${moduleId}/lessons/${lessonId}`);
  return learner.agent.post(`/modules/${moduleId}/lessons/${lessonId}/complete`).type('form').send({ _csrf: csrfFrom(page.text) });
}

async function takeQuiz(learner: SignedIn, moduleId: string, right: number) {
  const page = await learner.agent.get(`/modules/${moduleId}/quiz`);
  const attemptId = attemptIdFrom(page.text);
  const body = formBody({ ...(await answersFor(connection, attemptId, right)), _csrf: csrfFrom(page.text) });
  return learner.agent.post(`/modules/${moduleId}/quiz`).type('form').send(body);
}

const completions = (userId: string) => connection.collection('module_completions').find({ userId }).toArray();

describe('marking lessons complete', () => {
  it('when a lesson is marked complete twice, then one record exists with the first date, and the page shows it', async () => {
    const learner = await signedInAgent(connection);
    const first = await completeLesson(learner, 'introduction', 'the-roadmap');
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/modules/introduction/lessons/awareness-and-advocacy');
    const record = await connection.collection('lesson_completions').findOne({ userId: learner.userId });
    await completeLesson(learner, 'introduction', 'the-roadmap');
    const all = await connection.collection('lesson_completions').find({ userId: learner.userId }).toArray();
    expect(all).toHaveLength(1);
    expect(all[0]?.completedAt).toEqual(record?.completedAt);
    const page = await learner.agent.get('/modules/introduction/lessons/the-roadmap');
    expect(page.text).toContain('You completed this lesson on');
    expect(page.text).not.toContain('Mark this lesson as complete');
  });

  it('when a lesson that does not exist is marked complete, then 404 and nothing is stored', async () => {
    const learner = await signedInAgent(connection);
    const page = await learner.agent.get('/modules/introduction/lessons/the-roadmap');
    const res = await learner.agent.post('/modules/introduction/lessons/nope/complete').type('form').send({ _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(404);
    expect(await connection.collection('lesson_completions').countDocuments({ userId: learner.userId })).toBe(0);
  });

  it('when the complete form is posted without a CSRF token, then 403 and nothing is stored', async () => {
    const learner = await signedInAgent(connection);
    const res = await learner.agent.post('/modules/introduction/lessons/the-roadmap/complete').type('form').send({});
    expect(res.status).toBe(403);
    expect(await connection.collection('lesson_completions').countDocuments({ userId: learner.userId })).toBe(0);
  });
});

describe('completion rules', () => {
  it('when all lessons are done but the quiz is failed, then the module is not complete; passing it completes it', async () => {
    const learner = await signedInAgent(connection);
    for (const l of MODULES.introduction) await completeLesson(learner, 'introduction', l);
    await takeQuiz(learner, 'introduction', 6);
    expect(await completions(learner.userId)).toHaveLength(0);
    const module = await learner.agent.get('/modules/introduction');
    expect(module.text).toContain('Lessons done: take the quiz');
    await takeQuiz(learner, 'introduction', 7);
    const done = await completions(learner.userId);
    expect(done).toHaveLength(1);
    expect(done[0]?.lessonIds).toEqual([...MODULES.introduction]);
  });

  it('when the quiz is passed but one lesson is missing, then the module completes only when that lesson is done', async () => {
    const learner = await signedInAgent(connection);
    for (const l of MODULES.introduction.slice(0, -1)) await completeLesson(learner, 'introduction', l);
    await takeQuiz(learner, 'introduction', 10);
    expect(await completions(learner.userId)).toHaveLength(0);
    await completeLesson(learner, 'introduction', 'worksheet');
    expect(await completions(learner.userId)).toHaveLength(1);
    // "why is this complete?" is answered from the records on the module page
    const page = decoded((await learner.agent.get('/modules/introduction')).text);
    expect(page).toContain('Module completed on');
    expect(page).toMatch(/Quiz passed on attempt 1 with 100 %/);
    expect(page).toContain('“Worksheet: a first localizing plan for your territory”: completed on');
  });

  it('when every module is complete, then the course completion is recorded once and announced once', async () => {
    const events = createLearningEvents();
    const heard: CourseCompleted[] = [];
    events.onCourseCompleted((e) => {
      heard.push(e);
    });
    const app = createApp({ config: testConfig(), connection, logger: createLogger('silent'), events });
    const learner = await signedInAgent(connection, { app });
    for (const [moduleId, lessons] of Object.entries(MODULES) as [ModuleId, readonly string[]][]) {
      for (const l of lessons) await completeLesson(learner, moduleId, l);
      if (moduleId !== 'reporting') expect(heard).toHaveLength(0);
      await takeQuiz(learner, moduleId, 10);
    }
    expect(heard).toHaveLength(1);
    expect(heard[0]?.userId).toBe(learner.userId);
    await takeQuiz(learner, 'reporting', 10); // passing again changes nothing
    expect(heard).toHaveLength(1);
    expect(await connection.collection('course_completions').countDocuments({ userId: learner.userId })).toBe(1);
    const dashboard = await learner.agent.get('/dashboard');
    expect(dashboard.text).toContain('You completed the course on');
  });
});

describe('the dashboard', () => {
  it('when a learner has done 2 lessons of module 1, then it shows the progress, the status and where to resume', async () => {
    const learner = await signedInAgent(connection, { language: 'fr' });
    await completeLesson(learner, 'introduction', 'from-mdgs-to-sdgs');
    await completeLesson(learner, 'introduction', 'what-localizing-means');
    const res = await learner.agent.get('/dashboard');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="fr">');
    expect(res.text).toMatch(/<progress id="progress-introduction" max="6" value="2">/);
    expect(res.text).toContain('2 leçons terminées sur 6');
    expect(res.text).toContain('En cours');
    expect(res.text).toMatch(/href="\/modules\/introduction\/lessons\/the-roadmap">Reprendre/);
    expect(res.text).toContain('Pas commencé');
  });

  it('when an anonymous visitor opens the dashboard, then they are sent to log in', async () => {
    const res = await (await import('supertest')).default(buildApp(connection)).get('/dashboard');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fdashboard');
  });
});

describe('a new version of a module', () => {
  it('when module 1 is re-seeded with a lesson removed and one added, then progress on the lessons that remain is kept', async () => {
    const app = createApp({ config: testConfig(), connection, logger: createLogger('silent'), contentRefreshMs: 50 });
    const learner = await signedInAgent(connection, { app });
    for (const l of ['from-mdgs-to-sdgs', 'what-localizing-means', 'the-roadmap']) await completeLesson(learner, 'introduction', l);
    const files = readPackageFolder(`${modulesDir}/01-introduction`);
    const yaml = files.get('module.yaml')!.toString().replace(/ {2}- id: what-localizing-means[\s\S]*?(?= {2}- id: the-roadmap)/, '');
    files.set('module.yaml', Buffer.from(`${yaml}  - id: a-new-lesson\n    title: { en: "A new lesson", es: "Una lección nueva", fr: "Une nouvelle leçon" }\n`));
    for (const lng of ['en', 'es', 'fr']) {
      files.delete(`lessons/what-localizing-means.${lng}.md`);
      files.set(`lessons/a-new-lesson.${lng}.md`, files.get(`lessons/the-roadmap.${lng}.md`)!);
    }
    const parsed = loadModulePackage(files);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const content = createContentService({ connection });
    const { version } = await content.importModule(parsed.module, { source: 'seed' });
    await content.publish('introduction', version);
    await new Promise((r) => setTimeout(r, 100)); // the app re-reads releases every 50 ms here
    try {
      const res = await learner.agent.get('/dashboard');
      expect(res.text).toMatch(/<progress id="progress-introduction" max="6" value="2">/);
      const page = decoded((await learner.agent.get('/modules/introduction')).text);
      expect(page).toContain('“The Roadmap for Localizing the SDGs”: completed on');
      expect(page).toContain('“A new lesson”: not completed yet');
    } finally {
      await content.publish('introduction', 1);
    }
  });
});
