/**
 * The queries a learner's pages send: a constant number per page, each served by an index, on the
 * database the tests run on (the local database, or MongoDB with MONGODB_URI set). Every find and
 * aggregate a page sends is captured over the wire and explained again with the same filter.
 */
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { createContentService, type PublishedModule } from '../../../src/features/content';
import { csrfFrom } from '../../helpers/build-app';
import { completeLesson } from '../../helpers/cohorts';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { type SignedIn, signedInAgent } from '../../helpers/learner';
import { answersFor, attemptIdFrom, formBody } from '../../helpers/quiz';
import { captureQueries, expectIndexed as expectIndexedOn, type Sent } from '../../helpers/queries';

let connection: Connection;
let course: PublishedModule;

beforeAll(async () => {
  connection = await connectTestDatabase('_learner_queries', { monitorCommands: true });
  await seedCourse(connection);
  course = (await createContentService({ connection }).modules())[0]!;
});
afterAll(async () => {
  await connection.close();
});

const capture = (work: () => Promise<unknown>) => captureQueries(connection, work);
const expectIndexed = (sent: Sent[]) => expectIndexedOn(connection, sent);

/** Waits until the module's handbook, rendered in the background on the first visit, is stored. */
async function handbookStored() {
  for (let i = 0; i < 300 && (await connection.collection('handbooks.files').countDocuments()) === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Another learner's records: the pages must cost the same whatever the platform holds. */
async function anotherLearnersRecords(count: number) {
  const lessons = course.lessons.map((l) => l.id);
  const docs = Array.from({ length: count }, (_, i) => ({
    userId: String(new Types.ObjectId()),
    moduleId: course.moduleId,
    lessonId: lessons[i % lessons.length]!,
    completedAt: new Date(),
  }));
  await connection.collection('lesson_completions').insertMany(docs);
}

describe('a learner page sends a constant number of queries, each served by an index', () => {
  let learner: SignedIn;
  beforeAll(async () => {
    learner = await signedInAgent(connection);
    await completeLesson(learner, course.moduleId, course.lessons[0]!.id);
  });

  const pages: [string, () => string][] = [
    ['dashboard', () => '/dashboard'],
    ['module page', () => `/modules/${course.moduleId}`],
    ['lesson page', () => `/modules/${course.moduleId}/lessons/${course.lessons[1]!.id}`],
    ['quiz page', () => `/modules/${course.moduleId}/quiz`],
  ];

  it.each(pages)('when a learner opens the %s, then every query it sends is served by an index, and as many are sent with more learners on the platform', async (_name, path) => {
    // once before: the quiz page draws an attempt the first time and resumes it afterwards, and the
    // module page has its handbook rendered in the background (once per version and language)
    await learner.agent.get(path());
    if (_name === 'module page') await handbookStored();
    const before = await capture(async () => expect((await learner.agent.get(path())).status).toBe(200));
    await expectIndexed(before);
    await anotherLearnersRecords(200);
    const after = await capture(async () => expect((await learner.agent.get(path())).status).toBe(200));
    expect(after.map((q) => q.collection)).toEqual(before.map((q) => q.collection));
  });

  it('when a learner opens the dashboard, then it reads each learning collection once for the whole course', async () => {
    const sent = await capture(() => learner.agent.get('/dashboard'));
    const perCollection = (name: string) => sent.filter((q) => q.collection === name).length;
    for (const name of ['lesson_completions', 'quiz_attempts', 'quiz_grades', 'module_completions', 'last_lessons']) expect(perCollection(name)).toBe(1);
    // 9 for learning and certificates, 1 for the last lesson opened ("continue where you left off",
    // read by _id), and 2 for the links to the learner's cohort discussions (their memberships, then
    // the cohorts' names: the discussion's part of the dashboard)
    expect(sent.length).toBeLessThanOrEqual(12);
    await expectIndexed(sent);
  });

  it('when a learner opens a lesson, then one query tells whether it is complete', async () => {
    const sent = await capture(() => learner.agent.get(`/modules/${course.moduleId}/lessons/${course.lessons[0]!.id}`));
    expect(sent.filter((q) => q.collection === 'lesson_completions')).toHaveLength(1);
  });

  it('when a learner completes a lesson and submits a quiz, then every query on the way is served by an index', async () => {
    const lessonPage = await learner.agent.get(`/modules/${course.moduleId}/lessons/${course.lessons[2]!.id}`);
    const completing = await capture(async () => {
      const res = await learner.agent
        .post(`/modules/${course.moduleId}/lessons/${course.lessons[2]!.id}/complete`)
        .type('form')
        .send({ _csrf: csrfFrom(lessonPage.text) });
      expect(res.status).toBe(303);
    });
    await expectIndexed(completing);

    const quiz = await learner.agent.get(`/modules/${course.moduleId}/quiz`);
    const attemptId = attemptIdFrom(quiz.text);
    const answers = await answersFor(connection, attemptId, 10);
    const submitting = await capture(async () => {
      const res = await learner.agent
        .post(`/modules/${course.moduleId}/quiz`)
        .type('form')
        .send(formBody({ ...answers, _csrf: csrfFrom(quiz.text) }));
      expect(res.status).toBe(303);
    });
    await expectIndexed(submitting);
    const result = await capture(() => learner.agent.get(`/modules/${course.moduleId}/quiz/attempts/${attemptId}`));
    await expectIndexed(result);
  });
});
