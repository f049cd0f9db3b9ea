import { type Connection, Types } from 'mongoose';
import { createLearningEvents, learningModels } from '../../../src/features/learning';
import { createProgressService } from '../../../src/features/learning/progress.service';
import { planRecordsOn } from '../../../src/features/plans';
import { createContentService, moduleMinutes } from '../../../src/features/content';
import supertest from 'supertest';
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

const nextStepHref = (html: string) => /<a class="button" href="([^"]+)" data-next-step>/.exec(html)?.[1];

describe('progress at a glance', () => {
  it('when 2 lessons are done, then the module page ticks exactly those two, with a word beside the tick', async () => {
    const learner = await signedInAgent(connection);
    await completeLesson(learner, 'introduction', 'from-mdgs-to-sdgs');
    await completeLesson(learner, 'introduction', 'the-roadmap');
    const html = decoded((await learner.agent.get('/modules/introduction')).text);
    const done = [...html.matchAll(/<li class="done" data-done><a href="\/modules\/introduction\/lessons\/([^"]+)">/g)].map((m) => m[1]);
    expect(done).toEqual(['from-mdgs-to-sdgs', 'the-roadmap']);
    expect(html).toMatch(/data-done>[^\n]*icon-ok[^\n]*Done<\/span><\/li>/);
    const visitor = decoded((await supertest(buildApp(connection)).get('/modules/introduction')).text);
    expect(visitor).not.toContain('data-done');
  });

  it('when 2 of 18 lessons are done and no quiz passed, then the dashboard shows the course at 2 of 21 steps, 9 %', async () => {
    const learner = await signedInAgent(connection, { language: 'es' });
    await completeLesson(learner, 'introduction', 'from-mdgs-to-sdgs');
    await completeLesson(learner, 'introduction', 'what-localizing-means');
    const html = decoded((await learner.agent.get('/dashboard')).text);
    expect(html).toContain('<progress id="course-progress-bar" max="21" value="2">');
    expect(html).toContain('9 % hecho');
    expect(html).toContain('(2 de 21 pasos: cada lección y el cuestionario de cada módulo)');
  });

  it('when a learner opens every lesson of a module at once (as "Save for offline" does), then none of them fails and one "continue" record remains', async () => {
    // the service itself, called as close together as a service worker's requests arrive: supertest in
    // this process staggers its requests so that two upserts of the record never met here
    const progress = createProgressService({
      models: learningModels(connection),
      content: createContentService({ connection }),
      events: createLearningEvents(),
      worksheets: planRecordsOn(connection),
    });
    const lessons = ['from-mdgs-to-sdgs', 'what-localizing-means', 'the-roadmap', 'awareness-and-advocacy', 'implementation-and-monitoring', 'worksheet'];
    for (let round = 0; round < 60; round++) {
      const userId = new Types.ObjectId().toHexString();
      const opened = await Promise.allSettled(lessons.map((l) => progress.lessonOpened(userId, 'introduction', l)));
      expect(opened.filter((o) => o.status === 'rejected')).toEqual([]);
      const stored = await connection.collection('last_lessons').find({ _id: userId as never }).toArray();
      expect(stored).toHaveLength(1);
      expect(lessons).toContain(stored[0]!.lessonId);
    }
  });

  it('when the learner opened a lesson without finishing it, then "continue" returns to it; once it is done, to the first unfinished one', async () => {
    const learner = await signedInAgent(connection);
    await completeLesson(learner, 'introduction', 'from-mdgs-to-sdgs');
    expect((await learner.agent.get('/modules/introduction/lessons/awareness-and-advocacy')).status).toBe(200);
    expect(await connection.collection('last_lessons').findOne({ _id: learner.userId as never })).toMatchObject({
      moduleId: 'introduction',
      lessonId: 'awareness-and-advocacy',
    });
    let html = decoded((await learner.agent.get('/dashboard')).text);
    expect(nextStepHref(html)).toBe('/modules/introduction/lessons/awareness-and-advocacy');
    expect(html).toContain('Continue where you left off');
    expect(html).toMatch(/href="\/modules\/introduction\/lessons\/awareness-and-advocacy">Continue where you left off/); // the module card agrees
    await completeLesson(learner, 'introduction', 'awareness-and-advocacy');
    html = decoded((await learner.agent.get('/dashboard')).text);
    expect(nextStepHref(html)).toBe('/modules/introduction/lessons/what-localizing-means');
  });

  it('when a module is shown, then its time is the one rule: its lessons as listed plus the quiz and the worksheet, on the list too', async () => {
    const module = (await createContentService({ connection }).getModule('introduction'))!;
    const time = moduleMinutes(module, 'en');
    const page = decoded((await supertest(buildApp(connection)).get('/modules/introduction?lng=en')).text);
    const lessonMinutes = [...page.matchAll(/\((\d+) minutes? read\)/g)].map((m) => Number(m[1]));
    expect(lessonMinutes).toHaveLength(6);
    expect(lessonMinutes.reduce((a, b) => a + b, 0)).toBe(time.reading);
    expect(time.quiz).toBe(15); // 10 questions drawn
    expect(time.worksheet).toBeGreaterThan(0);
    expect(time.total).toBe(Math.ceil((time.reading + time.quiz + time.worksheet) / 5) * 5);
    expect(page).toContain(`6 lessons · about ${time.total} minutes: reading ${time.reading} min, quiz ${time.quiz} min, worksheet ${time.worksheet} min`);
    const list = decoded((await supertest(buildApp(connection)).get('/modules?lng=en')).text);
    expect(list).toContain(`6 lessons · about ${time.total} minutes`);
    expect(list).not.toContain('about 150 minutes');
  });
});
