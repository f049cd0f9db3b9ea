/**
 * The quiz form carries a signed copy of its attempt, so a genuine submission is graded without
 * reading the attempt back; anything else about the token only ever falls back to the stored attempt.
 */
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createAttemptTokens } from '../../../src/features/learning';
import { createLogger } from '../../../src/platform/logger';
import { csrfFrom, testConfig, testDataDir } from '../../helpers/build-app';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { signedInAgent } from '../../helpers/learner';
import { captureQueries } from '../../helpers/queries';
import { answersFor, attemptIdFrom, attemptTokenFrom, formBody } from '../../helpers/quiz';

let connection: Connection;
const grades = () => connection.collection('quiz_grades');

beforeAll(async () => {
  connection = await connectTestDatabase('_attempt_token', { monitorCommands: true });
  await seedCourse(connection);
});
afterAll(async () => {
  await connection.close();
});

async function startQuiz() {
  const learner = await signedInAgent(connection);
  const page = await learner.agent.get('/modules/introduction/quiz');
  return { ...learner, page, attemptId: attemptIdFrom(page.text), token: attemptTokenFrom(page.text), csrfToken: csrfFrom(page.text) };
}

type Started = Awaited<ReturnType<typeof startQuiz>>;
const post = (learner: Started, body: Record<string, string | string[]>) =>
  learner.agent.post('/modules/introduction/quiz').type('form').send(formBody({ ...body, _csrf: learner.csrfToken }));

/** The same claims with one changed, under the original signature (what a learner could forge). */
function altered(token: string, change: (claims: unknown[]) => void): string {
  const [payload, signature] = token.split('.') as [string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as unknown[];
  change(claims);
  return `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

it('when a learner submits the quiz form as the page drew it, then it is graded without the attempt being read back', async () => {
  const learner = await startQuiz();
  const answers = await answersFor(connection, learner.attemptId, 8);
  const sent = await captureQueries(connection, async () => {
    const res = await post(learner, { ...answers, attemptToken: learner.token });
    expect(res.status).toBe(303);
  });
  expect(sent.filter((q) => q.collection === 'quiz_attempts')).toEqual([]);
  const grade = await grades().findOne({ _id: new Types.ObjectId(learner.attemptId) });
  expect(grade).toMatchObject({ userId: learner.userId, moduleId: 'introduction', correctCount: 8, total: 10, scorePercent: 80, passed: true, attemptNumber: 1 });
  // and the result page, which reads the attempt, shows it
  expect((await learner.agent.get(`/modules/introduction/quiz/attempts/${learner.attemptId}`)).status).toBe(200);
});

it('when the form comes back with a question unanswered, then the page carries the token again and the completed form is graded', async () => {
  const learner = await startQuiz();
  const answers = await answersFor(connection, learner.attemptId, 10);
  const first = Object.keys(answers).find((k) => k.startsWith('q.'))!;
  const { [first]: _left, ...incomplete } = answers;
  const again = await post(learner, { ...incomplete, attemptToken: learner.token });
  expect(again.status).toBe(422);
  expect(attemptTokenFrom(again.text)).toBe(learner.token);
  expect((await post(learner, { ...answers, attemptToken: attemptTokenFrom(again.text) })).status).toBe(303);
  expect(await grades().countDocuments({ _id: new Types.ObjectId(learner.attemptId) })).toBe(1);
});

it('when the token is altered to claim other questions, then the stored attempt decides: answers to those questions are refused and nothing is graded', async () => {
  const learner = await startQuiz();
  const stored = await connection.collection('quiz_attempts').findOne({ _id: new Types.ObjectId(learner.attemptId) });
  const drawn = new Set((stored!.questions as { questionId: string }[]).map((q) => q.questionId));
  const module = (await connection.collection('module_versions').findOne({ moduleId: 'introduction' })) as unknown as {
    quiz: { questions: { id: string; options: { id: string; correct: boolean }[] }[] };
  } | null;
  const others = (module?.quiz.questions ?? []).filter((q) => !drawn.has(q.id)).slice(0, 10);
  expect(others.length).toBeGreaterThan(0);
  const forged = altered(learner.token, (claims) => {
    claims[5] = others.map((q) => [q.id, q.options.map((o) => o.id)]);
  });
  const body: Record<string, string> = { attemptId: learner.attemptId, attemptToken: forged };
  for (const q of others) body[`q.${q.id}`] = q.options.find((o) => o.correct)!.id;
  expect((await post(learner, body)).status).toBe(400);
  expect(await grades().countDocuments({ _id: new Types.ObjectId(learner.attemptId) })).toBe(0);
});

it("when a learner sends another learner's genuine token with that learner's attempt, then 404 and the other attempt stays open", async () => {
  const owner = await startQuiz();
  const intruder = await startQuiz();
  const answers = await answersFor(connection, owner.attemptId, 10);
  const res = await post(intruder, { ...answers, attemptToken: owner.token });
  expect(res.status).toBe(404);
  expect(await grades().countDocuments({ _id: new Types.ObjectId(owner.attemptId) })).toBe(0);
  // the intruder cannot take it over by rewriting the owner either: the signature no longer holds
  const mine = altered(owner.token, (claims) => {
    claims[1] = intruder.userId;
  });
  expect((await post(intruder, { ...answers, attemptToken: mine })).status).toBe(404);
  expect(await grades().countDocuments({ _id: new Types.ObjectId(owner.attemptId) })).toBe(0);
  expect((await post(owner, { ...answers, attemptToken: owner.token })).status).toBe(303);
});

it('when a token was signed with another secret, then the attempt is read back and graded from the database', async () => {
  const learner = await startQuiz();
  const stored = await connection.collection('quiz_attempts').findOne({ _id: new Types.ObjectId(learner.attemptId) });
  // claims that match the stored attempt, signed by someone who does not hold the platform's secret
  const foreign = createAttemptTokens(`${testConfig().sessionSecret}-not`).make(stored as never);
  const answers = await answersFor(connection, learner.attemptId, 3);
  const sent = await captureQueries(connection, async () => {
    expect((await post(learner, { ...answers, attemptToken: foreign })).status).toBe(303);
  });
  expect(sent.filter((q) => q.collection === 'quiz_attempts')).toHaveLength(1);
  expect(await grades().findOne({ _id: new Types.ObjectId(learner.attemptId) })).toMatchObject({ correctCount: 3, passed: false });
});

it('when the same form is sent twice at once with its token, then exactly one grade exists', async () => {
  const learner = await startQuiz();
  const body = { ...(await answersFor(connection, learner.attemptId, 10)), attemptToken: learner.token };
  const statuses = (await Promise.all([post(learner, body), post(learner, body), post(learner, body)])).map((r) => r.status).sort();
  expect(statuses.filter((s) => s === 303)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(2);
  expect(await grades().countDocuments({ _id: new Types.ObjectId(learner.attemptId) })).toBe(1);
});

it('when the platform runs on the public development secret, then its quiz form carries no signed copy, and a copy signed with that secret cannot have an attempt never drawn graded', async () => {
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: testDataDir() });
  expect(config.sessionSecretIsPublic).toBe(true);
  const app = createApp({ config, connection, logger: createLogger('silent') });
  const learner = await signedInAgent(connection, { app });
  const page = await learner.agent.get('/modules/introduction/quiz');
  expect(page.status).toBe(200);
  expect(page.text).not.toContain('name="attemptToken"');
  const attemptId = attemptIdFrom(page.text);
  const drawn = await connection.collection('quiz_attempts').findOne({ _id: new Types.ObjectId(attemptId) });
  // anyone can sign with the public secret: an attempt made up from the drawn one, under a new id
  const madeUp = { ...(drawn as never as { moduleVersion: number; number: number; questions: { questionId: string; optionIds: string[] }[] }), _id: new Types.ObjectId() };
  const forged = createAttemptTokens(config.sessionSecret).make({ ...madeUp, userId: learner.userId, moduleId: 'introduction' });
  const answers = await answersFor(connection, attemptId, 10);
  const post = (body: Record<string, string | string[]>) =>
    learner.agent.post('/modules/introduction/quiz').type('form').send(formBody({ ...body, _csrf: csrfFrom(page.text) }));
  expect((await post({ ...answers, attemptId: String(madeUp._id), attemptToken: forged })).status).toBe(404);
  expect(await grades().countDocuments({ userId: learner.userId })).toBe(0);
  // the attempt really drawn is graded from the database
  expect((await post(answers)).status).toBe(303);
  expect(await grades().countDocuments({ userId: learner.userId })).toBe(1);
});
