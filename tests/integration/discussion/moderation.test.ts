import type { Connection } from 'mongoose';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { cohortWithPeople, formOn, replyTo, startThread, threadIdFrom } from '../../helpers/discussion';
import { snapshot } from '../../helpers/factories';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase('_discussion_moderation');
  await seedCourse(connection);
});
afterAll(async () => {
  await connection.close();
});

const audit = (action: string) => connection.collection('audit_events').countDocuments({ action });

describe('moderating a cohort discussion', () => {
  it('when a trainer hides a reply with a reason, then others no longer see it, its author sees the reason, and it is audited', async () => {
    const { trainer, a, b, base } = await cohortWithPeople(connection);
    const made = await startThread(a, base, { title: 'A calm thread', body: 'Opening' });
    const url = `${base}/${threadIdFrom(made.headers.location)}`;
    await replyTo(b, url, 'Something rude');
    const reply = await connection.collection('discussion_posts').findOne({ body: 'Something rude' });
    const form = await formOn(trainer.agent, url);
    const res = await trainer.agent.post(`${url}/hide`).type('form').send({ _csrf: form.csrf, postId: String(reply!._id), reason: 'Please keep it courteous' });
    expect(res.status).toBe(303);
    expect((await a.agent.get(url)).text).not.toContain('Something rude');
    const own = await b.agent.get(url);
    expect(own.text).toContain('Something rude');
    expect(own.text).toContain('Please keep it courteous');
    expect(await audit('discussion.hidden')).toBeGreaterThan(0);

    await trainer.agent.post(`${url}/restore`).type('form').send({ _csrf: form.csrf, postId: String(reply!._id) });
    expect((await a.agent.get(url)).text).toContain('Something rude');
    expect(await audit('discussion.restored')).toBeGreaterThan(0);
  });

  it('when a thread is locked, then replies are refused and nothing is stored; pinning puts it first', async () => {
    const { trainer, a, b, base } = await cohortWithPeople(connection);
    const older = await startThread(a, base, { title: 'Older thread', body: 'x' });
    await startThread(a, base, { title: 'Newer thread', body: 'y' });
    const url = `${base}/${threadIdFrom(older.headers.location)}`;
    const form = await formOn(trainer.agent, url);
    expect((await trainer.agent.post(`${url}/lock`).type('form').send({ _csrf: form.csrf })).status).toBe(303);
    expect((await trainer.agent.post(`${url}/pin`).type('form').send({ _csrf: form.csrf })).status).toBe(303);
    const before = await snapshot(connection, ['discussion_posts']);
    const refused = await replyTo(b, url, 'Too late');
    expect(refused.status).toBe(409);
    expect(await snapshot(connection, ['discussion_posts'])).toEqual(before);
    const list = await b.agent.get(base);
    expect(list.text.indexOf('Older thread')).toBeLessThan(list.text.indexOf('Newer thread'));
    expect(await audit('discussion.locked')).toBeGreaterThan(0);
    expect(await audit('discussion.pinned')).toBeGreaterThan(0);
  });

  it('when a member reports a post, then the trainers see it in the queue; learners cannot moderate (404) and nothing changes', async () => {
    const { trainer, a, b, base } = await cohortWithPeople(connection);
    const made = await startThread(a, base, { title: 'Reported thread', body: 'Questionable claim' });
    const url = `${base}/${threadIdFrom(made.headers.location)}`;
    const opening = await connection.collection('discussion_posts').findOne({ body: 'Questionable claim' });
    const form = await formOn(b.agent, url);
    const res = await b.agent.post(`${url}/report`).type('form').send({ _csrf: form.csrf, postId: String(opening!._id), reason: 'Off topic' });
    expect(res.status).toBe(303);
    expect(await connection.collection('discussion_reports').countDocuments({ postId: String(opening!._id), state: 'open' })).toBe(1);
    const queue = await trainer.agent.get(`${base}/reports`);
    expect(queue.status).toBe(200);
    expect(queue.text).toContain('Off topic');

    const before = await snapshot(connection, ['discussion_threads', 'discussion_posts', 'discussion_reports']);
    expect((await b.agent.get(`${base}/reports`)).status).toBe(404);
    for (const action of ['pin', 'lock', 'hide', 'restore']) {
      expect((await b.agent.post(`${url}/${action}`).type('form').send({ _csrf: form.csrf, reason: 'x' })).status).toBe(404);
    }
    expect(await snapshot(connection, ['discussion_threads', 'discussion_posts', 'discussion_reports'])).toEqual(before);

    const hide = await trainer.agent.post(`${url}/hide`).type('form').send({ _csrf: (await formOn(trainer.agent, url)).csrf, reason: 'Not about the course' });
    expect(hide.status).toBe(303);
    expect((await b.agent.get(url)).status).toBe(404);
    const author = await a.agent.get(url);
    expect(author.status).toBe(200);
    expect(author.text).toContain('Not about the course');
    expect(await audit('discussion.reported')).toBeGreaterThan(0);
  });
});

describe('sharing a plan for comments', () => {
  it('when a learner shares one step of their plan, then a plan thread holds that step; with nothing filled in, it is refused', async () => {
    const { a, base } = await cohortWithPeople(connection, { a: 'en' });
    const empty = await formOn(a.agent, base);
    expect(empty.html).not.toContain('action="' + base + '/plan"');
    const before = await snapshot(connection, ['discussion_threads']);
    const refused = await a.agent.post(`${base}/plan`).type('form').send({ _csrf: empty.csrf, token: 'plan-token-empty', title: 'My plan', step: '' });
    expect(refused.status).toBe(422);
    expect(await snapshot(connection, ['discussion_threads'])).toEqual(before);

    await connection.collection('worksheet_revisions').insertOne({ userId: a.userId, moduleId: 'introduction', values: { sdgs: ['1'] }, finished: false, createdAt: new Date() });
    const page = await formOn(a.agent, base);
    expect(page.html).toContain('value="introduction.priorities"');
    const res = await a.agent.post(`${base}/plan`).type('form').send({ _csrf: page.csrf, token: 'plan-token-1', title: 'My plan, step one', step: 'introduction.priorities', note: 'Comments welcome' });
    expect(res.status).toBe(303);
    const thread = await connection.collection('discussion_threads').findOne({ title: 'My plan, step one' });
    expect(thread?.kind).toBe('plan');
    const opening = await connection.collection('discussion_posts').findOne({ threadId: String(thread!._id) });
    expect(opening?.body).toContain('Comments welcome');
    expect(opening?.body).toContain('SDG 1. No poverty');
  });
});
