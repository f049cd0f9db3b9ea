/**
 * The discussion pages' queries: each served by an index (explain on the database the tests run on),
 * and the same number of them whatever the number of threads (no query per thread in the list).
 */
import type { Connection } from 'mongoose';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { cohortWithPeople, replyTo, startThread, threadIdFrom } from '../../helpers/discussion';
import { createContentService } from '../../../src/features/content';
import { captureQueries, expectIndexed as expectIndexedOn, type Sent } from '../../helpers/queries';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase('_discussion_queries', { monitorCommands: true });
  await seedCourse(connection);
});
afterAll(async () => {
  await connection.close();
});

const capture = (work: () => Promise<unknown>) => captureQueries(connection, work);
const expectIndexed = (sent: Sent[]) => expectIndexedOn(connection, sent);

describe('the discussion pages query the database', () => {
  it('when the list, a thread and a lesson page are read, then every query is served by an index and the list costs the same with 3 or 25 threads', async () => {
    const { a, b, base } = await cohortWithPeople(connection);
    const course = (await createContentService({ connection }).modules())[0]!;
    const lesson = course.lessons[0]!;
    const made = await startThread(a, base, { title: 'About the first lesson', body: 'x', moduleId: course.moduleId, lessonId: lesson.id });
    const url = `${base}/${threadIdFrom(made.headers.location)}`;
    await replyTo(b, url, 'A reply');
    await startThread(a, base, { title: 'Second', body: 'y' });

    const small = await capture(() => b.agent.get(base));
    await expectIndexed(small);
    await expectIndexed(await capture(() => b.agent.get(url)));
    const lessonPage = await capture(() => b.agent.get(`/modules/${course.moduleId}/lessons/${lesson.id}`));
    await expectIndexed(lessonPage.filter((q) => q.collection.startsWith('discussion') || q.collection.startsWith('cohort')));
    expect((await b.agent.get(`/modules/${course.moduleId}/lessons/${lesson.id}`)).text).toContain('data-lesson-posts="2"');

    await connection.collection('discussion_threads').insertMany(
      Array.from({ length: 22 }, (_, i) => ({
        cohortId: base.split('/')[2],
        authorId: a.userId,
        kind: 'discussion',
        title: `Filler ${i}`,
        pinned: false,
        locked: false,
        hidden: false,
        submission: `filler-${i}-${Date.now()}`,
        createdAt: new Date(),
        lastActivityAt: new Date(),
      })),
    );
    const big = await capture(() => b.agent.get(base));
    expect(big.length).toBe(small.length);
    await expectIndexed(big);
  });
});
