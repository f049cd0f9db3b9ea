import type { Connection } from 'mongoose';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { cohortWithPeople, formOn, replyTo, startThread, threadIdFrom } from '../../helpers/discussion';
import { snapshot } from '../../helpers/factories';

let connection: Connection;
const COLLECTIONS = ['discussion_threads', 'discussion_posts', 'discussion_reports', 'discussion_revisions'];

beforeAll(async () => {
  connection = await connectTestDatabase('_discussion');
  await seedCourse(connection);
});
afterAll(async () => {
  await connection.close();
});

const posts = () => connection.collection('discussion_posts');
const threads = () => connection.collection('discussion_threads');

describe('the cohort discussion', () => {
  it('when a member starts a thread and another replies, then both are stored and the list shows it newest first with an unread marker', async () => {
    const { a, b, base } = await cohortWithPeople(connection);
    const first = await startThread(a, base, { title: 'Our first council session', body: 'How did you **start**?' });
    expect(first.status).toBe(303);
    const second = await startThread(a, base, { title: 'Budget lines for SDG 6', body: 'Water budget' });
    const threadId = threadIdFrom(second.headers.location);
    const reply = await replyTo(b, `${base}/${threadIdFrom(first.headers.location)}`, 'We began with a survey.');
    expect(reply.status).toBe(303);
    expect(await posts().countDocuments({ threadId: threadIdFrom(first.headers.location) })).toBe(2);

    const list = await b.agent.get(base);
    expect(list.status).toBe(200);
    const order = [...list.text.matchAll(/data-thread-id="([0-9a-f]{24})" data-unread="(true|false)"/g)].map((m) => [m[1], m[2]]);
    // the replied thread has the newest activity; b has read it by replying? No: b never opened the second one
    expect(order[0]![0]).toBe(threadIdFrom(first.headers.location));
    expect(order.find(([id]) => id === threadId)![1]).toBe('true');
    await b.agent.get(`${base}/${threadId}`);
    const again = await b.agent.get(base);
    expect(again.text).toContain(`data-thread-id="${threadId}" data-unread="false"`);
  });

  it('when someone outside the cohort reads or posts, then they get 404 and nothing is stored', async () => {
    const { a, outsider, base } = await cohortWithPeople(connection);
    const made = await startThread(a, base, { title: 'Members only', body: 'Hello' });
    const threadUrl = `${base}/${threadIdFrom(made.headers.location)}`;
    expect((await outsider.agent.get(base)).status).toBe(404);
    expect((await outsider.agent.get(threadUrl)).status).toBe(404);
    const before = await snapshot(connection, COLLECTIONS);
    const csrf = await outsider.csrf();
    expect((await outsider.agent.post(base).type('form').send({ _csrf: csrf, title: 'Intrusion', body: 'x', kind: 'discussion' })).status).toBe(404);
    expect((await outsider.agent.post(`${threadUrl}/replies`).type('form').send({ _csrf: csrf, body: 'x' })).status).toBe(404);
    expect(await snapshot(connection, COLLECTIONS)).toEqual(before);
  });

  it('when a trainer removes a learner, then it is audited and the learner gets 404 on the discussion', async () => {
    const { trainer, b, cohortId, base } = await cohortWithPeople(connection);
    expect((await b.agent.get(base)).status).toBe(200);
    const page = await trainer.agent.get(`/trainer/cohorts/${cohortId}/learners/${b.userId}`);
    expect(page.text).toContain(`/learners/${b.userId}/remove`);
    const csrf = (await formOn(trainer.agent, `/trainer/cohorts/${cohortId}/learners/${b.userId}`)).csrf;
    const res = await trainer.agent.post(`/trainer/cohorts/${cohortId}/learners/${b.userId}/remove`).type('form').send({ _csrf: csrf });
    expect(res.status).toBe(303);
    expect(await connection.collection('cohort_members').countDocuments({ cohortId, userId: b.userId })).toBe(0);
    expect(await connection.collection('audit_events').countDocuments({ action: 'cohort.learnerRemoved', targetId: { $exists: true } })).toBeGreaterThan(0);
    expect((await b.agent.get(base)).status).toBe(404);
  });

  it('when markup and javascript: links are posted, then they are neutralised and links are marked as user content', async () => {
    const { a, b, base } = await cohortWithPeople(connection);
    const body = '<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) [ok](https://example.org/x) "><svg onload=alert(4)>';
    const made = await startThread(a, base, { title: '<b>Bold</b> title', body });
    const html = (await b.agent.get(`${base}/${threadIdFrom(made.headers.location)}`)).text;
    expect(html).not.toMatch(/<script>alert|<img src=x|href="javascript:|<svg onload/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<a href="https://example.org/x" rel="nofollow ugc noopener">ok</a>');
    expect(html).toContain('&lt;b&gt;Bold&lt;/b&gt; title');
  });

  it('when the same form is sent twice, then one post is made', async () => {
    const { a, base } = await cohortWithPeople(connection);
    const form = await formOn(a.agent, base);
    const send = () => a.agent.post(base).type('form').send({ _csrf: form.csrf, token: form.token, kind: 'discussion', title: 'Twice sent', body: 'Once stored' });
    const [one, two] = await Promise.all([send(), send()]);
    expect([one.status, two.status]).toEqual([303, 303]);
    expect(await threads().countDocuments({ title: 'Twice sent' })).toBe(1);
    expect(await posts().countDocuments({ body: 'Once stored' })).toBe(1);
  });

  it('when a form comes without a CSRF token, then it is refused with 403 and nothing is stored', async () => {
    const { a, base } = await cohortWithPeople(connection);
    const before = await snapshot(connection, COLLECTIONS);
    const res = await a.agent.post(base).type('form').send({ kind: 'discussion', title: 'No token', body: 'x' });
    expect(res.status).toBe(403);
    expect(await snapshot(connection, COLLECTIONS)).toEqual(before);
  });

  it('when a learner posts faster than the limit, even all at once, then the extra posts are refused with 429', async () => {
    const { a, base } = await cohortWithPeople(connection);
    const form = await formOn(a.agent, base);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => a.agent.post(base).type('form').send({ _csrf: form.csrf, token: `burst-token-${i}`, kind: 'discussion', title: `Burst ${i}`, body: 'x' })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 303)).toHaveLength(6);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    expect(await threads().countDocuments({ authorId: a.userId })).toBe(6);
  });

  it('when input is missing or too long, then the form comes back with errors in the user language and nothing is stored', async () => {
    const { a, base } = await cohortWithPeople(connection, { a: 'fr' });
    const before = await snapshot(connection, COLLECTIONS);
    const form = await formOn(a.agent, base);
    const res = await a.agent.post(base).type('form').send({ _csrf: form.csrf, token: form.token, kind: 'discussion', title: 'x', body: 'y'.repeat(10_001) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Le message est trop long');
    const practice = await a.agent.post(base).type('form').send({ _csrf: form.csrf, token: form.token, kind: 'practice', title: 'A practice', body: 'b', place: 'Lyon', country: 'France', targets: '18.1', done: 'x', link: 'javascript:alert(1)' });
    expect(practice.status).toBe(422);
    expect(practice.text).toContain('entre 1 et 17');
    const announce = await a.agent.post(base).type('form').send({ _csrf: form.csrf, token: form.token, kind: 'announcement', title: 'Not mine to say', body: 'b' });
    expect(announce.status).toBe(403);
    expect(await snapshot(connection, COLLECTIONS)).toEqual(before);
  });

  it('when a practice is shared, then it shows as a card and is listed under its SDG only', async () => {
    const { a, b, base } = await cohortWithPeople(connection);
    const res = await startThread(a, base, { kind: 'practice', title: 'Participatory budget in Cuenca', body: 'How we did it', place: 'Cuenca', country: 'Ecuador', targets: '11.3, 16.7', done: 'Neighbourhood assemblies', worked: 'Turnout', didNot: 'Timing', link: 'https://example.org/cuenca' });
    expect(res.status).toBe(303);
    const stored = await threads().findOne({ title: 'Participatory budget in Cuenca' });
    expect(stored?.practice?.sdgs).toEqual([11, 16]);
    expect((await b.agent.get(`${base}?kind=practice&sdg=11`)).text).toContain('Participatory budget in Cuenca');
    expect((await b.agent.get(`${base}?kind=practice&sdg=6`)).text).not.toContain('Participatory budget in Cuenca');
  });

  it('when the author edits within 15 minutes, then the old text is kept as a revision; after 15 minutes the edit is refused', async () => {
    const { a, b, base } = await cohortWithPeople(connection);
    const made = await startThread(a, base, { title: 'Edit me', body: 'First text' });
    const url = `${base}/${threadIdFrom(made.headers.location)}`;
    const post = await posts().findOne({ body: 'First text' });
    const editUrl = `${url}/posts/${post!._id}/edit`;
    const csrf = await a.csrf();
    expect((await b.agent.post(editUrl).type('form').send({ _csrf: await b.csrf(), body: 'Hijack' })).status).toBe(404);
    expect((await a.agent.post(editUrl).type('form').send({ _csrf: csrf, body: 'Second text' })).status).toBe(303);
    expect((await posts().findOne({ _id: post!._id }))?.body).toBe('Second text');
    expect(await connection.collection('discussion_revisions').findOne({ postId: String(post!._id) })).toMatchObject({ body: 'First text' });
    await posts().updateOne({ _id: post!._id }, { $set: { createdAt: new Date(Date.now() - 16 * 60_000) } });
    const late = await a.agent.post(editUrl).type('form').send({ _csrf: csrf, body: 'Too late' });
    expect(late.status).toBe(403);
    expect((await posts().findOne({ _id: post!._id }))?.body).toBe('Second text');
  });
});
