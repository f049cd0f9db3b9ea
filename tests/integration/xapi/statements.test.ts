import type { Connection } from 'mongoose';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp } from '../../../src/app';
import { createStatementWorker, VERBS, XAPI_QUEUE } from '../../../src/features/xapi';
import { createLogger } from '../../../src/platform/logger';
import { csrfFrom, testConfig } from '../../helpers/build-app';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { signedInAgent } from '../../helpers/learner';
import { startLrsReceiver } from '../../helpers/lrs-receiver';
import { answersFor, attemptIdFrom, formBody } from '../../helpers/quiz';

const LRS = { username: 'sdg-learn', password: 'lrs-secret-123' };
const INTRODUCTION = ['from-mdgs-to-sdgs', 'what-localizing-means', 'the-roadmap', 'awareness-and-advocacy', 'implementation-and-monitoring', 'worksheet'];

let connection: Connection;
let lrs: Awaited<ReturnType<typeof startLrsReceiver>>;
const logger = createLogger('silent');

beforeAll(async () => {
  connection = await connectTestDatabase('_xapi');
  await seedCourse(connection);
  lrs = await startLrsReceiver(LRS);
});
afterAll(async () => {
  await lrs.close();
  await connection.close();
});
beforeEach(async () => {
  await connection.collection(XAPI_QUEUE).deleteMany({});
  await connection.collection(`${XAPI_QUEUE}_attempts`).deleteMany({});
  lrs.stored.clear();
  lrs.requests.length = 0;
  lrs.failEachStatement(0);
});

const config = () => testConfig({ XAPI_ENDPOINT: lrs.endpoint, XAPI_USERNAME: LRS.username, XAPI_PASSWORD: LRS.password });
const app = () => createApp({ config: config(), connection, logger });
const worker = () =>
  createStatementWorker({ connection, lrs: config().xapi!, logger, retry: { firstDelayMs: 0, maxDelayMs: 0, maxAttempts: 5 } });

/** Runs the worker until nothing is due, as its timer would. */
async function drain(w = worker()) {
  for (let i = 0; i < 20 && (await w.deliverDue()) > 0; i++);
}

async function register(agent: TestAgent): Promise<string> {
  const token = csrfFrom((await agent.get('/register')).text);
  const email = `xapi-${Date.now()}-${Math.random().toString(36).slice(2)}@example.org`;
  const res = await agent.post('/register').type('form').send({ name: 'Ana Learner', email, password: 'Correct horse battery staple 9', language: 'fr', _csrf: token });
  expect(res.status).toBe(303);
  const user = await connection.collection('users').findOne({ email });
  return String(user!._id);
}

async function completeModule(agent: TestAgent) {
  for (const lesson of INTRODUCTION) {
    const page = await agent.get(`/modules/introduction/lessons/${lesson}`);
    const done = await agent.post(`/modules/introduction/lessons/${lesson}/complete`).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(done.status).toBeLessThan(400);
  }
  const quiz = await agent.get('/modules/introduction/quiz');
  const attemptId = attemptIdFrom(quiz.text);
  const body = formBody({ ...(await answersFor(connection, attemptId, 10)), _csrf: csrfFrom(quiz.text) });
  expect((await agent.post('/modules/introduction/quiz').type('form').send(body)).status).toBeLessThan(400);
  return attemptId;
}

const verbsOf = (statements: Record<string, unknown>[]) =>
  statements.map((s) => (s.verb as { id: string }).id.split('/').pop()).sort();

describe('xAPI statements', () => {
  it('when a learner registers and completes a module and the LRS fails twice for each statement, then it holds exactly the expected statements, once each', async () => {
    const agent = supertest.agent(app());
    const userId = await register(agent);
    await completeModule(agent);
    // the request only queued them: nothing reached the LRS yet
    expect(lrs.requests).toHaveLength(0);
    const queued = await connection.collection(XAPI_QUEUE).find({}).toArray();
    expect(queued).toHaveLength(26);
    expect(queued.every((q) => q.state === 'queued')).toBe(true);

    lrs.failEachStatement(2);
    await drain();

    const stored = [...lrs.stored.values()].map((s) => s.body);
    expect(stored).toHaveLength(26);
    const expected = [
      'registered',
      ...Array(6).fill('experienced'),
      ...Array(6).fill('completed'),
      'attempted',
      ...Array(10).fill('answered'),
      'passed',
      'completed',
    ].sort();
    expect(verbsOf(stored)).toEqual(expected);
    // every statement was refused twice, then accepted once: 3 requests each, none stored twice
    expect(lrs.requests.filter((r) => r.status === 503)).toHaveLength(52);
    expect(lrs.requests.filter((r) => r.status === 200)).toHaveLength(26);
    for (const s of stored) expect(s.actor).toEqual({ objectType: 'Agent', account: { homePage: config().baseUrl, name: userId } });
    expect(JSON.stringify(stored)).not.toContain('@example.org');

    const passed = stored.find((s) => (s.verb as { id: string }).id === VERBS.passed)!;
    expect(passed.object).toMatchObject({ id: `${config().baseUrl}/modules/introduction/quiz` });
    expect(passed.result).toEqual({ score: { scaled: 1, raw: 10, min: 0, max: 10 }, success: true, completion: true });
    const answered = stored.filter((s) => (s.verb as { id: string }).id === VERBS.answered);
    for (const a of answered) expect(a.context).toMatchObject({ statement: { objectType: 'StatementRef', id: passed.id } });
    const moduleDone = stored.find((s) => (s.object as { id: string }).id === `${config().baseUrl}/modules/introduction`)!;
    expect(moduleDone.verb).toMatchObject({ id: VERBS.completed });

    const after = await connection.collection(XAPI_QUEUE).find({}).toArray();
    expect(after.every((q) => q.state === 'sent' && q.attempts === 3)).toBe(true);
  });

  it('when the LRS is down, then nothing is lost, and once it is up again every statement arrives once', async () => {
    const agent = supertest.agent(app());
    await register(agent);
    const page = await agent.get('/modules/introduction/lessons/the-roadmap');
    await agent.post('/modules/introduction/lessons/the-roadmap/complete').type('form').send({ _csrf: csrfFrom(page.text) });

    await lrs.down();
    const w = worker();
    expect(await w.deliverDue()).toBe(3);
    const waiting = await connection.collection(XAPI_QUEUE).find({}).toArray();
    expect(waiting.map((q) => [q.state, q.attempts])).toEqual([
      ['queued', 1],
      ['queued', 1],
      ['queued', 1],
    ]);
    expect(waiting[0]!.lastError).toBeTruthy();

    await lrs.up();
    await drain(w);
    expect(verbsOf([...lrs.stored.values()].map((s) => s.body))).toEqual(['completed', 'experienced', 'registered']);
    expect((await connection.collection(XAPI_QUEUE).find({ state: 'sent' }).toArray()).length).toBe(3);
  });

  it('when the LRS stores a statement but its answer is lost, then the retry with the same id stores nothing twice', async () => {
    const agent = supertest.agent(app());
    await register(agent);
    lrs.loseAnswers(1);
    await drain();
    expect(lrs.stored.size).toBe(1);
    expect(lrs.requests.map((r) => r.status)).toEqual([502, 200]);
    const [item] = await connection.collection(XAPI_QUEUE).find({}).toArray();
    expect(item).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('when the same lesson is read twice on a day, then one "experienced" statement is queued', async () => {
    const agent = supertest.agent(app());
    await register(agent);
    await agent.get('/modules/introduction/lessons/the-roadmap');
    await agent.get('/modules/introduction/lessons/the-roadmap');
    expect(await connection.collection(XAPI_QUEUE).countDocuments({ label: /^experienced / })).toBe(1);
  });

  it('when no LRS is configured, then no statement is made', async () => {
    const agent = supertest.agent(createApp({ config: testConfig(), connection, logger }));
    await register(agent);
    expect(await connection.collection(XAPI_QUEUE).countDocuments({})).toBe(0);
  });

  it('when the LRS refuses our credentials every time, then the statement is given up and shown to admins only', async () => {
    const agent = supertest.agent(app());
    await register(agent);
    const wrong = createStatementWorker({
      connection,
      lrs: { ...config().xapi!, password: 'wrong' },
      logger,
      retry: { firstDelayMs: 0, maxDelayMs: 0, maxAttempts: 2 },
    });
    await drain(wrong);
    const [item] = await connection.collection(XAPI_QUEUE).find({}).toArray();
    expect(item).toMatchObject({ state: 'failed', attempts: 2 });
    expect(item!.lastError).toContain('401');

    const admin = await signedInAgent(connection, { role: 'admin', app: app() });
    const page = await admin.agent.get('/admin/xapi');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-count-failed="1"');
    expect(page.text).toContain(`data-statement="${item!._id}"`);
    expect(page.text).toContain('LRS answered 401');

    const learner = await signedInAgent(connection, { app: app() });
    expect((await learner.agent.get('/admin/xapi')).status).toBe(403);
  });
});
