import type { Connection } from 'mongoose';
import { agentFor, csrfFrom, decoded } from '../../helpers/build-app';
import { COHORT_COLLECTIONS, createCohort, joinWith } from '../../helpers/cohorts';
import { connectTestDatabase } from '../../helpers/database';
import { snapshot } from '../../helpers/factories';
import { signedInAgent } from '../../helpers/learner';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase('_cohort_join');
});
afterAll(async () => {
  await connection.close();
});

const DAY = 24 * 3600 * 1000;
const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
const members = (cohortId: string) => connection.collection('cohort_members').find({ cohortId }).toArray();

describe('creating a cohort', () => {
  it('when a trainer creates a cohort, then it is stored with them as trainer and its page shows an unambiguous join code and link', async () => {
    const trainer = await signedInAgent(connection, { role: 'trainer' });
    const { id, code } = await createCohort(trainer.agent, { name: 'Región de Murcia 2025', startsOn: isoDay(0), endsOn: isoDay(60) });
    expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
    const cohort = await connection.collection('cohorts').findOne({});
    expect(cohort).toMatchObject({ name: 'Región de Murcia 2025', language: 'es', joinCode: code, createdBy: trainer.userId });
    expect(String(cohort?._id)).toBe(id);
    expect(await connection.collection('cohort_trainers').findOne({ cohortId: id })).toMatchObject({ userId: trainer.userId });
    const page = await trainer.agent.get(`/trainer/cohorts/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`/cohorts/join?code=${code}`);
    const list = await trainer.agent.get('/trainer/cohorts');
    expect(decoded(list.text)).toContain('Región de Murcia 2025');
  });

  it('when the name is missing and the end is before the start, then the form comes back with both messages and nothing is stored', async () => {
    const trainer = await signedInAgent(connection, { role: 'trainer' });
    const before = await snapshot(connection, COHORT_COLLECTIONS);
    const page = await trainer.agent.get('/trainer/cohorts');
    const res = await trainer.agent
      .post('/trainer/cohorts')
      .type('form')
      .send({ name: ' ', language: 'fr', startsOn: isoDay(10), endsOn: isoDay(5), _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(422);
    expect(decoded(res.text)).toContain('Enter a name for the cohort.');
    expect(decoded(res.text)).toContain('The end date must be on or after the start date.');
    expect(await snapshot(connection, COHORT_COLLECTIONS)).toEqual(before);
  });
});

describe('joining with a code', () => {
  it('when a learner types a valid code (in small letters, with a hyphen), then they are enrolled once and sent to their dashboard', async () => {
    const trainer = await signedInAgent(connection, { role: 'trainer' });
    const { id, code } = await createCohort(trainer.agent, { name: 'Valid code cohort', endsOn: isoDay(30) });
    const learner = await signedInAgent(connection);
    const typed = `${code.slice(0, 4)}-${code.slice(4)}`.toLowerCase();
    const res = await joinWith(learner.agent, typed);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard');
    expect(await members(id)).toEqual([expect.objectContaining({ userId: learner.userId, via: 'code' })]);
    const dashboard = await learner.agent.get('/dashboard');
    expect(decoded(dashboard.text)).toContain('You joined the cohort “Valid code cohort”.');

    const again = await joinWith(learner.agent, code);
    expect(again.status).toBe(303);
    expect(await members(id)).toHaveLength(1);
  });

  it('when a learner types a wrong code, then the form says so beside the field and nothing is stored', async () => {
    const trainer = await signedInAgent(connection, { role: 'trainer' });
    await createCohort(trainer.agent);
    const learner = await signedInAgent(connection, { language: 'es' });
    const before = await snapshot(connection, COHORT_COLLECTIONS);
    const res = await joinWith(learner.agent, 'ZZZZ-9999');
    expect(res.status).toBe(422);
    expect(decoded(res.text)).toContain('Ninguna cohorte tiene este código.');
    expect(res.text).toMatch(/id="join-code-error"/);
    expect(res.text).toContain('value="ZZZZ-9999"');
    expect(await snapshot(connection, COHORT_COLLECTIONS)).toEqual(before);
  });

  it.each([
    ['the cohort ended', { endsOn: isoDay(-3) }],
    ['joining closed before the end', { endsOn: isoDay(30), joinClosesOn: isoDay(-2) }],
  ])('when the code has expired because %s, then joining is refused with a clear message and nothing is stored', async (_why, dates) => {
    const trainer = await signedInAgent(connection, { role: 'trainer' });
    const { id, code } = await createCohort(trainer.agent, { name: 'Expired cohort', ...dates });
    const page = await trainer.agent.get(`/trainer/cohorts/${id}`);
    expect(page.text).toContain('This code has expired');
    const learner = await signedInAgent(connection, { language: 'fr' });
    const res = await joinWith(learner.agent, code);
    expect(res.status).toBe(422);
    expect(decoded(res.text)).toContain('Ce code a expiré');
    expect(await members(id)).toEqual([]);
  });

  it('when the cohort ends today, then its code still works (until the end of the day anywhere on Earth)', async () => {
    const trainer = await signedInAgent(connection, { role: 'trainer' });
    const { id, code } = await createCohort(trainer.agent, { endsOn: isoDay(0) });
    const learner = await signedInAgent(connection);
    expect((await joinWith(learner.agent, code)).status).toBe(303);
    expect(await members(id)).toHaveLength(1);
  });

  it('when someone opens the join link without being logged in, then they log in first and come back to the filled-in form', async () => {
    const trainer = await signedInAgent(connection, { role: 'trainer' });
    const { code } = await createCohort(trainer.agent);
    const { agent } = await signedInAgent(connection);
    const anonymous = agentFor(connection);
    const res = await anonymous.get(`/cohorts/join?code=${code}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(`/cohorts/join?code=${code}`)}`);
    const form = await agent.get(`/cohorts/join?code=${code}`);
    expect(form.text).toContain(`value="${code}"`);
  });

  it('when a join is posted without a CSRF token, then it is refused with 403 and nothing is stored', async () => {
    const trainer = await signedInAgent(connection, { role: 'trainer' });
    const { code } = await createCohort(trainer.agent);
    const learner = await signedInAgent(connection);
    const before = await snapshot(connection, COHORT_COLLECTIONS);
    const res = await learner.agent.post('/cohorts/join').type('form').send({ code });
    expect(res.status).toBe(403);
    expect(await snapshot(connection, COHORT_COLLECTIONS)).toEqual(before);
  });
});
