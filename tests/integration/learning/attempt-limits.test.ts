import { type Connection, Types } from 'mongoose';
import { createContentService, loadModulePackage } from '../../../src/features/content';
import { csrfFrom, decoded } from '../../helpers/build-app';
import { createCohort, joinWith, takeQuiz } from '../../helpers/cohorts';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { signedInAgent, type SignedIn } from '../../helpers/learner';
import { modulePackageSpec, toFiles } from '../../helpers/module-package';

let connection: Connection;
const MODULE = 'limited-attempts';
const grants = () => connection.collection('quiz_attempt_grants');
const audit = () => connection.collection('audit_events');

beforeAll(async () => {
  connection = await connectTestDatabase();
  await seedCourse(connection);
  const spec = modulePackageSpec({ id: MODULE, questions: 3 });
  spec.quizYaml.maxAttempts = 2;
  const parsed = loadModulePackage(toFiles(spec));
  if (!parsed.ok) throw new Error('bad package');
  const content = createContentService({ connection });
  const { version } = await content.importModule(parsed.module, { source: 'upload' });
  await content.publish(MODULE, version);
});
afterAll(async () => {
  await connection.collection('module_releases').deleteOne({ _id: MODULE as never });
  await connection.close();
});

/** A learner in a cohort run by a trainer named Tomás, who has failed the quiz `failures` times. */
async function learnerInCohort(failures: number) {
  const trainer = await signedInAgent(connection, { role: 'trainer', name: 'Tomás Trainer' });
  const cohort = await createCohort(trainer.agent);
  const learner = await signedInAgent(connection);
  expect((await joinWith(learner.agent, cohort.code)).status).toBe(303);
  for (let i = 0; i < failures; i++) await takeQuiz(connection, learner, MODULE, 0);
  return { trainer, cohort, learner };
}

async function grant(trainer: SignedIn, cohortId: string, learnerId: string, fields: Record<string, string>) {
  const page = await trainer.agent.get(`/trainer/cohorts/${cohortId}/learners/${learnerId}`);
  return trainer.agent
    .post(`/trainer/cohorts/${cohortId}/learners/${learnerId}/attempts`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...fields });
}

describe('attempt limits without a dead end', () => {
  it('when the learner opens the first of 2 attempts, then it says one more remains; on the second, that it is the last', async () => {
    const { learner } = await learnerInCohort(0);
    const first = decoded((await learner.agent.get(`/modules/${MODULE}/quiz`)).text);
    expect(first).toContain('After this one, you have 1 more attempt.');
    expect(first).not.toContain('data-last-attempt');
    await takeQuiz(connection, learner, MODULE, 0);
    const second = decoded((await learner.agent.get(`/modules/${MODULE}/quiz`)).text);
    expect(second).toContain('This is your last attempt');
    expect(second).not.toMatch(/0 (more )?attempts/);
  });

  it('when all attempts are used, then a page explains it and links to the module, the attempts and the cohort trainers', async () => {
    const { learner, trainer } = await learnerInCohort(2);
    const res = await learner.agent.get(`/modules/${MODULE}/quiz`);
    expect(res.status).toBe(403);
    const html = decoded(res.text);
    expect(html).toContain('You have used all the attempts allowed for this quiz.');
    expect(html).toContain('You took the quiz 2 times.');
    expect(html).toContain(`href="/modules/${MODULE}"`);
    expect(html).toContain(`href="/modules/${MODULE}/quiz/attempts"`);
    expect(html).toContain(`Tomás Trainer: <a href="mailto:${trainer.email}">`);
    expect(await connection.collection('quiz_attempts').countDocuments({ userId: learner.userId, moduleId: MODULE })).toBe(2);
  });

  it('when the trainer gives one extra attempt from the drill-down, then it is stored, audited, and the learner draws a last attempt', async () => {
    const { learner, trainer, cohort } = await learnerInCohort(2);
    const drill = decoded((await trainer.agent.get(`/trainer/cohorts/${cohort.id}/learners/${learner.userId}`)).text);
    expect(drill).toContain('All 2 quiz attempts used');
    const res = await grant(trainer, cohort.id, learner.userId, { moduleId: MODULE, extra: '1' });
    expect(res.status).toBe(303);
    expect(await grants().find({ userId: learner.userId }).toArray()).toEqual([
      expect.objectContaining({ moduleId: MODULE, extra: 1, grantedBy: trainer.userId }),
    ]);
    expect(await audit().findOne({ action: 'quiz.attemptsGranted', targetId: new Types.ObjectId(learner.userId) })).toMatchObject({
      actorEmail: trainer.email,
      details: { module: MODULE, extra: '1', cohort: 'Cotopaxi spring cohort' },
    });
    const after = decoded((await trainer.agent.get(String(res.headers.location))).text);
    expect(after).toContain('Extra quiz attempts given for');
    expect(after).toContain('Quiz attempts: 2 of 3 used.');
    const quiz = await learner.agent.get(`/modules/${MODULE}/quiz`);
    expect(quiz.status).toBe(200);
    expect(decoded(quiz.text)).toContain('This is your last attempt');
  });

  it('when the grant is refused (another cohort, a learner, bad input), then nothing is stored', async () => {
    const { learner, trainer, cohort } = await learnerInCohort(2);
    const other = await signedInAgent(connection, { role: 'trainer' });
    await createCohort(other.agent);
    const page = await other.agent.get('/trainer/cohorts');
    const foreign = await other.agent
      .post(`/trainer/cohorts/${cohort.id}/learners/${learner.userId}/attempts`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), moduleId: MODULE, extra: '1' });
    expect(foreign.status).toBe(404);
    const self = await learner.agent
      .post(`/trainer/cohorts/${cohort.id}/learners/${learner.userId}/attempts`)
      .type('form')
      .send({ _csrf: await learner.csrf(), moduleId: MODULE, extra: '1' });
    expect(self.status).toBe(403);
    const tooMany = await grant(trainer, cohort.id, learner.userId, { moduleId: MODULE, extra: '9' });
    expect(tooMany.status).toBe(400);
    expect(decoded(tooMany.text)).toContain('1 to 3 extra attempts');
    expect((await grant(trainer, cohort.id, learner.userId, { moduleId: 'introduction', extra: '1' })).status).toBe(400); // unlimited quiz
    expect(await grants().countDocuments({ userId: learner.userId })).toBe(0);
    expect(await audit().countDocuments({ action: 'quiz.attemptsGranted', targetId: new Types.ObjectId(learner.userId) })).toBe(0);
  });
});
