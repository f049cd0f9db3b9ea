import type { Connection } from 'mongoose';
import type TestAgent from 'supertest/lib/agent';
import { agentFor, csrfFrom } from '../../helpers/build-app';
import { COHORT_COLLECTIONS, createCohort, joinWith } from '../../helpers/cohorts';
import { connectTestDatabase } from '../../helpers/database';
import { createUser, snapshot } from '../../helpers/factories';
import { type SignedIn, signedInAgent } from '../../helpers/learner';

/*
 * Every cohort route, tried by people who must not use it: a trainer of another cohort (the cohort
 * does not exist for them: 404), a learner (403), and someone not logged in (sent to log in). None of
 * these requests may change anything.
 */

let connection: Connection;
let owner: SignedIn;
let cohortId: string;
let memberId: string;

beforeAll(async () => {
  connection = await connectTestDatabase('_cohort_access');
  owner = await signedInAgent(connection, { role: 'trainer' });
  const created = await createCohort(owner.agent, { name: 'Private cohort' });
  cohortId = created.id;
  const member = await signedInAgent(connection);
  memberId = member.userId;
  await joinWith(member.agent, created.code);
  await createUser(connection, { email: 'known@example.org' });
});
afterAll(async () => {
  await connection.close();
});

type Route = { method: 'get' | 'post' | 'multipart'; path: string; body?: Record<string, string> };

const cohortRoutes = (): Route[] => [
  { method: 'get', path: `/trainer/cohorts/${cohortId}` },
  { method: 'get', path: `/trainer/cohorts/${cohortId}/manage` },
  { method: 'get', path: `/trainer/cohorts/${cohortId}/at-risk` },
  { method: 'get', path: `/trainer/cohorts/${cohortId}/questions` },
  { method: 'get', path: `/trainer/cohorts/${cohortId}/learners/${memberId}` },
  { method: 'get', path: `/trainer/cohorts/${cohortId}/export.csv` },
  { method: 'post', path: `/trainer/cohorts/${cohortId}/enrol`, body: { emails: 'known@example.org' } },
  { method: 'multipart', path: `/trainer/cohorts/${cohortId}/enrol` },
  { method: 'post', path: `/trainer/cohorts/${cohortId}/trainers`, body: { email: 'known@example.org' } },
  { method: 'post', path: `/trainer/cohorts/${cohortId}/trainers/${'0'.repeat(24)}/remove`, body: {} },
  { method: 'post', path: `/trainer/cohorts/${cohortId}/code`, body: {} },
];

/** Sends a request with a valid CSRF token for the agent's own session, so only the rights can refuse it. */
async function send(agent: TestAgent, route: Route) {
  if (route.method === 'get') return agent.get(route.path);
  const login = await agent.get('/login');
  const token = csrfFrom(login.status === 200 ? login.text : (await agent.get('/profile')).text);
  if (route.method === 'multipart') {
    return agent.post(route.path).field('_csrf', token).attach('file', Buffer.from('known@example.org\n'), { filename: 'list.csv', contentType: 'text/csv' });
  }
  return agent.post(route.path).type('form').send({ ...route.body, _csrf: token });
}

describe('who may use the cohort routes', () => {
  it('when a trainer of another cohort tries every route of this cohort, then each is not found and nothing changes', async () => {
    const other = await signedInAgent(connection, { role: 'trainer' });
    await createCohort(other.agent, { name: 'Their own cohort' });
    const before = await snapshot(connection, COHORT_COLLECTIONS);
    for (const route of cohortRoutes()) {
      const res = await send(other.agent, route);
      expect([route.path, res.status]).toEqual([route.path, 404]);
    }
    const list = await other.agent.get('/trainer/cohorts');
    expect(list.text).toContain('Their own cohort');
    expect(list.text).not.toContain('Private cohort');
    expect(await snapshot(connection, COHORT_COLLECTIONS)).toEqual(before);
  });

  it('when a learner tries every trainer route, then each is refused with 403 and nothing changes', async () => {
    const learner = await signedInAgent(connection);
    const before = await snapshot(connection, COHORT_COLLECTIONS);
    const routes: Route[] = [...cohortRoutes(), { method: 'get', path: '/trainer/cohorts' }, { method: 'post', path: '/trainer/cohorts', body: { name: 'Mine', language: 'en' } }];
    for (const route of routes) {
      const res = await send(learner.agent, route);
      expect([route.path, res.status]).toEqual([route.path, 403]);
    }
    expect(await snapshot(connection, COHORT_COLLECTIONS)).toEqual(before);
  });

  it('when someone who is not logged in tries every cohort route, then they are sent to log in and nothing changes', async () => {
    const anonymous = agentFor(connection);
    const before = await snapshot(connection, COHORT_COLLECTIONS);
    const routes: Route[] = [
      ...cohortRoutes(),
      { method: 'get', path: '/trainer/cohorts' },
      { method: 'post', path: '/trainer/cohorts', body: { name: 'Mine', language: 'en' } },
      { method: 'get', path: '/cohorts/join' },
      { method: 'post', path: '/cohorts/join', body: { code: 'ABCD2345' } },
    ];
    for (const route of routes) {
      const res = await send(anonymous, route);
      expect([route.path, res.status, res.headers.location?.startsWith('/login')]).toEqual([route.path, 302, true]);
    }
    expect(await snapshot(connection, COHORT_COLLECTIONS)).toEqual(before);
  });

  it('when an administrator opens any cohort, then they see it and its export', async () => {
    const admin = await signedInAgent(connection, { role: 'admin' });
    expect((await admin.agent.get(`/trainer/cohorts/${cohortId}`)).status).toBe(200);
    expect((await admin.agent.get(`/trainer/cohorts/${cohortId}/export.csv`)).status).toBe(200);
    expect((await admin.agent.get('/trainer/cohorts')).text).toContain('Private cohort');
  });

  it('when the id in the address is not a cohort id at all, then it is not found', async () => {
    expect((await owner.agent.get('/trainer/cohorts/not-an-id')).status).toBe(404);
    expect((await owner.agent.get(`/trainer/cohorts/${'f'.repeat(24)}`)).status).toBe(404);
  });
});
