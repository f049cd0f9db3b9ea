import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { buildApp, decoded } from '../../helpers/build-app';
import { completeLesson, createCohort, joinWith } from '../../helpers/cohorts';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { signedInAgent } from '../../helpers/learner';

let connection: Connection;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  connection = await connectTestDatabase('_at_risk_clock');
  await seedCourse(connection);
});
afterAll(async () => {
  await connection.close();
});

/** The at-risk page as a trainer sees it when the platform's clock reads `daysLater` days from now. */
async function atRiskAfter(trainer: { email: string; password: string }, cohortId: string, daysLater: number) {
  const later = new Date(Date.now() + daysLater * DAY);
  const app = buildApp(connection, { clock: () => later });
  const agent = supertest.agent(app);
  const login = await agent.get('/login');
  const token = /name="_csrf" value="([^"]+)"/.exec(login.text)![1]!;
  await agent.post('/login').type('form').send({ email: trainer.email, password: trainer.password, _csrf: token });
  const res = await agent.get(`/trainer/cohorts/${cohortId}/at-risk`);
  expect(res.status).toBe(200);
  return decoded(res.text);
}

describe('the at-risk page counts 14 days of inactivity on the injected clock', () => {
  it('when a learner did something, then they are not at risk after 13 days, and are after 15, with the days named', async () => {
    const trainer = await signedInAgent(connection, { role: 'trainer' });
    const cohort = await createCohort(trainer.agent, { name: 'Clock cohort', language: 'en' });
    const idle = await signedInAgent(connection, { name: 'Ivo Idle' });
    await joinWith(idle.agent, cohort.code);
    await completeLesson(idle, 'introduction', 'from-mdgs-to-sdgs');

    const at13 = await atRiskAfter(trainer, cohort.id, 13);
    expect(at13).not.toContain(`data-user-id="${idle.userId}"`);
    expect(at13).toContain('No learner is at risk at the moment.');

    const at15 = await atRiskAfter(trainer, cohort.id, 15);
    expect(at15).toMatch(new RegExp(`<tr data-user-id="${idle.userId}">[\\s\\S]*?No activity for 15 days`));
  });
});
