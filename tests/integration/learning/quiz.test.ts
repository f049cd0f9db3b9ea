import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { createContentService, loadModulePackage } from '../../../src/features/content';
import { buildApp, decoded } from '../../helpers/build-app';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { signedInAgent } from '../../helpers/learner';
import { modulePackageSpec, toFiles } from '../../helpers/module-package';
import { answersFor, attemptIdFrom, attemptTokenFrom, formBody } from '../../helpers/quiz';

let connection: Connection;
const grades = () => connection.collection('quiz_grades');
const attempts = () => connection.collection('quiz_attempts');

beforeAll(async () => {
  connection = await connectTestDatabase();
  await seedCourse(connection);
});
afterAll(async () => {
  await connection.close();
});

async function startQuiz(moduleId = 'introduction', language: 'en' | 'es' | 'fr' = 'en') {
  const learner = await signedInAgent(connection, { language });
  const page = await learner.agent.get(`/modules/${moduleId}/quiz`);
  expect(page.status).toBe(200);
  return { ...learner, page, attemptId: attemptIdFrom(page.text) };
}

async function submit(learner: Awaited<ReturnType<typeof startQuiz>>, body: Record<string, string | string[]>, moduleId = 'introduction') {
  const token = /name="_csrf" value="([^"]+)"/.exec(learner.page.text)![1]!;
  return learner.agent
    .post(`/modules/${moduleId}/quiz`)
    .type('form')
    // every hidden field of the page goes back, as a browser sends them; a body may override the attempt's token
    .send(formBody({ attemptToken: attemptTokenFrom(learner.page.text), ...body, _csrf: token }));
}

describe('drawing an attempt', () => {
  it('when a learner opens the quiz, then 10 questions are drawn and stored, and the page holds no answers or explanations', async () => {
    const learner = await startQuiz();
    const attempt = await attempts().findOne({ _id: new Types.ObjectId(learner.attemptId) });
    expect(attempt?.questions).toHaveLength(10);
    expect(attempt?.userId).toBe(learner.userId);
    const module = await createContentService({ connection }).getVersion('introduction', 1);
    const html = decoded(learner.page.text);
    for (const q of module!.quiz.questions) expect(html).not.toContain(q.explanation.en);
    expect(learner.page.text).not.toMatch(/correct\s*[=:]|data-correct|\bchecked\b/i);
    // every drawn question is a fieldset with inputs named q.<questionId>
    for (const d of attempt!.questions as { questionId: string; optionIds: string[] }[]) {
      for (const o of d.optionIds) expect(learner.page.text).toContain(`name="q.${d.questionId}" value="${o}"`);
    }
  });

  it('when the learner reloads the quiz, then the same open attempt is resumed', async () => {
    const learner = await startQuiz();
    const again = await learner.agent.get('/modules/introduction/quiz');
    expect(attemptIdFrom(again.text)).toBe(learner.attemptId);
    expect(await attempts().countDocuments({ userId: learner.userId })).toBe(1);
  });

  it('when an anonymous visitor opens a quiz, then they are sent to log in', async () => {
    const res = await (await import('supertest')).default(buildApp(connection)).get('/modules/introduction/quiz');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fmodules%2Fintroduction%2Fquiz');
  });
});

describe('grading', () => {
  it('when all answers are right, then the result shows 100 % passed with explanations in the learner language', async () => {
    const learner = await startQuiz('introduction', 'es');
    const res = await submit(learner, await answersFor(connection, learner.attemptId, 10));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/modules/introduction/quiz/attempts/${learner.attemptId}`);
    const grade = await grades().findOne({ attemptId: new Types.ObjectId(learner.attemptId) });
    expect(grade).toMatchObject({ scorePercent: 100, passed: true, correctCount: 10, total: 10 });
    const result = await learner.agent.get(String(res.headers.location));
    expect(result.status).toBe(200);
    expect(decoded(result.text)).toContain('Obtuvo un 100 %');
    const module = await createContentService({ connection }).getVersion('introduction', 1);
    const drawn = (await attempts().findOne({ _id: new Types.ObjectId(learner.attemptId) }))!.questions as { questionId: string }[];
    for (const d of drawn) {
      expect(decoded(result.text)).toContain(module!.quiz.questions.find((q) => q.id === d.questionId)!.explanation.es);
    }
  });

  it('when 6 of 10 are right, then the attempt fails the 70 % pass mark', async () => {
    const learner = await startQuiz();
    await submit(learner, await answersFor(connection, learner.attemptId, 6));
    const grade = await grades().findOne({ attemptId: new Types.ObjectId(learner.attemptId) });
    expect(grade).toMatchObject({ scorePercent: 60, passed: false });
  });

  it('when a question is left unanswered, then the form comes back with 422, the question marked and the other answers kept', async () => {
    const learner = await startQuiz();
    const body = await answersFor(connection, learner.attemptId, 10);
    const [skipped] = Object.keys(body).filter((k) => k.startsWith('q.'));
    const kept = Object.entries(body).find(([k]) => k.startsWith('q.') && k !== skipped)!;
    delete body[skipped!];
    const res = await submit(learner, body);
    expect(res.status).toBe(422);
    expect(res.text).toContain(`id="error-${skipped!.slice(2)}"`);
    const firstKept = Array.isArray(kept[1]) ? kept[1][0] : kept[1];
    expect(res.text).toMatch(new RegExp(`name="${kept[0].replace('.', '\\.')}" value="${firstKept}" checked`));
    expect(await grades().countDocuments({ attemptId: new Types.ObjectId(learner.attemptId) })).toBe(0);
  });
});

describe('refused submissions change nothing', () => {
  it('when the same attempt is submitted twice in a row, then it is graded and counted once', async () => {
    const learner = await startQuiz();
    const body = await answersFor(connection, learner.attemptId, 10);
    expect((await submit(learner, body)).status).toBe(303);
    const second = await submit(learner, { ...body, ...(await answersFor(connection, learner.attemptId, 0)) });
    expect(second.status).toBe(409);
    const all = await grades().find({ attemptId: new Types.ObjectId(learner.attemptId) }).toArray();
    expect(all).toHaveLength(1);
    expect(all[0]?.scorePercent).toBe(100);
  });

  it('when a graded attempt is sent again incomplete or with a foreign option, then it still says "already graded" (409)', async () => {
    const learner = await startQuiz();
    const body = await answersFor(connection, learner.attemptId, 10);
    expect((await submit(learner, body)).status).toBe(303);
    const incomplete = { ...body };
    delete incomplete[Object.keys(body).find((k) => k.startsWith('q.'))!];
    expect((await submit(learner, incomplete)).status).toBe(409);
    const foreign = { ...body, [Object.keys(body).find((k) => k.startsWith('q.'))!]: 'not-an-option' };
    expect((await submit(learner, foreign)).status).toBe(409);
    const all = await grades().find({ attemptId: new Types.ObjectId(learner.attemptId) }).toArray();
    expect(all).toHaveLength(1);
    expect(all[0]?.scorePercent).toBe(100);
  });

  it('when the same attempt is submitted twice at once, then exactly one grade exists', async () => {
    const learner = await startQuiz();
    const body = await answersFor(connection, learner.attemptId, 8);
    const statuses = (await Promise.all([submit(learner, body), submit(learner, body), submit(learner, body)])).map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 303)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(2);
    expect(await grades().countDocuments({ attemptId: new Types.ObjectId(learner.attemptId) })).toBe(1);
  });

  it('when an answer names a question not in the attempt, then 400 and no grade', async () => {
    const learner = await startQuiz();
    const drawn = new Set(Object.keys(await answersFor(connection, learner.attemptId, 10)));
    const module = await createContentService({ connection }).getVersion('introduction', 1);
    const outside = module!.quiz.questions.find((q) => !drawn.has(`q.${q.id}`))!;
    const body = { ...(await answersFor(connection, learner.attemptId, 10)), [`q.${outside.id}`]: 'a' };
    expect((await submit(learner, body)).status).toBe(400);
    expect(await grades().countDocuments({ attemptId: new Types.ObjectId(learner.attemptId) })).toBe(0);
  });

  it('when an option id does not exist, then 400 and no grade', async () => {
    const learner = await startQuiz();
    const body = await answersFor(connection, learner.attemptId, 10);
    const key = Object.keys(body).find((k) => k.startsWith('q.'))!;
    body[key] = 'zz';
    expect((await submit(learner, body)).status).toBe(400);
    expect(await grades().countDocuments({ attemptId: new Types.ObjectId(learner.attemptId) })).toBe(0);
  });

  it("when a learner submits someone else's attempt, then 404 and nothing changes", async () => {
    const owner = await startQuiz();
    const intruder = await startQuiz();
    const body = await answersFor(connection, owner.attemptId, 10);
    const res = await submit(intruder, body);
    expect(res.status).toBe(404);
    expect(await grades().countDocuments({ attemptId: new Types.ObjectId(owner.attemptId) })).toBe(0);
    expect((await intruder.agent.get(`/modules/introduction/quiz/attempts/${owner.attemptId}`)).status).toBe(404);
  });

  it('when the attempt id is malformed or an injected object, then it is refused without a 500', async () => {
    const learner = await startQuiz();
    expect((await submit(learner, { attemptId: 'not-an-id' })).status).toBe(404);
    const token = /name="_csrf" value="([^"]+)"/.exec(learner.page.text)![1]!;
    const injected = await learner.agent
      .post('/modules/introduction/quiz')
      .set('x-csrf-token', token)
      .send({ attemptId: { $gt: '' }, [`q.x`]: { $gt: '' } });
    expect(injected.status).toBe(400);
    expect(await grades().countDocuments({ userId: learner.userId })).toBe(0);
  });

  it('when the quiz allows 2 attempts and both are used, then a third is refused and none is created', async () => {
    const spec = modulePackageSpec({ id: 'limited-quiz', questions: 3 });
    spec.quizYaml.maxAttempts = 2;
    const parsed = loadModulePackage(toFiles(spec));
    if (!parsed.ok) throw new Error('bad package');
    const content = createContentService({ connection });
    const { version } = await content.importModule(parsed.module, { source: 'upload' });
    await content.publish('limited-quiz', version);
    const learner = await signedInAgent(connection, { app: buildApp(connection) });
    for (let i = 0; i < 2; i++) {
      const page = await learner.agent.get('/modules/limited-quiz/quiz');
      const attemptId = attemptIdFrom(page.text);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
      const res = await learner.agent
        .post('/modules/limited-quiz/quiz')
        .type('form')
        .send(formBody({ ...(await answersFor(connection, attemptId, 0)), _csrf: token }));
      expect(res.status).toBe(303);
    }
    const third = await learner.agent.get('/modules/limited-quiz/quiz');
    expect(third.status).toBe(403);
    expect(decoded(third.text)).toContain('You have used all the attempts allowed for this quiz.');
    expect(await attempts().countDocuments({ userId: learner.userId, moduleId: 'limited-quiz' })).toBe(2);
    await connection.collection('module_releases').deleteOne({ _id: 'limited-quiz' as never });
  });

  it('when the history page is opened, then each attempt is listed with its score', async () => {
    const learner = await startQuiz();
    await submit(learner, await answersFor(connection, learner.attemptId, 10));
    const res = await learner.agent.get('/modules/introduction/quiz/attempts');
    expect(res.status).toBe(200);
    expect(res.text).toContain('100 %');
  });
});
