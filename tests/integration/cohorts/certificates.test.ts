import { parse } from 'csv-parse/sync';
import type { Connection } from 'mongoose';
import { createContentService } from '../../../src/features/content';
import { csrfFrom } from '../../helpers/build-app';
import { completeLesson, createCohort, figure, joinWith, takeQuiz } from '../../helpers/cohorts';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { type SignedIn, signedInAgent } from '../../helpers/learner';

/*
 * Certificates are the certificates feature's records: a learner who completes the course holds
 * one until an admin revokes it, and the cohort's figures, timeline and export follow.
 */

let connection: Connection;
let trainer: SignedIn;
let learner: SignedIn;
let cohortId: string;

async function certificateOf(userId: string) {
  for (let i = 0; i < 100; i++) {
    const found = await connection.collection('certificates').findOne({ userId });
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no certificate was issued');
}

beforeAll(async () => {
  connection = await connectTestDatabase('_cohort_certificates');
  await seedCourse(connection);
  trainer = await signedInAgent(connection, { role: 'trainer' });
  const created = await createCohort(trainer.agent, { name: 'Certificate cohort', language: 'en' });
  cohortId = created.id;
  learner = await signedInAgent(connection, { name: 'Zoë Finisher' });
  await joinWith(learner.agent, created.code);
  for (const module of await createContentService({ connection }).modules()) {
    for (const lesson of module.lessons) await completeLesson(learner, module.moduleId, lesson.id);
    await takeQuiz(connection, learner, module.moduleId, module.quiz.questionsPerAttempt);
  }
});
afterAll(async () => {
  await connection.close();
});

it('when a learner completes the course, then the cohort counts their certificate; when it is revoked, then it no longer counts', async () => {
  const certificate = await certificateOf(learner.userId);
  const page = await trainer.agent.get(`/trainer/cohorts/${cohortId}`);
  expect(figure(page.text, 'certificates')).toBe(1);
  expect(page.text).not.toContain('Certificates are counted from completed courses');
  const csv = await trainer.agent.get(`/trainer/cohorts/${cohortId}/export.csv`);
  const [row] = parse(csv.text, { bom: true, columns: true }) as Record<string, string>[];
  expect(row!['Certificate issued on']).toBe((certificate.issuedAt as Date).toISOString().slice(0, 10));

  const admin = await signedInAgent(connection, { role: 'admin' });
  const form = await admin.agent.get(`/admin/certificates/${certificate._id}`);
  const revoked = await admin.agent
    .post(`/admin/certificates/${certificate._id}/revoke`)
    .type('form')
    .send({ reason: 'issuedInError', _csrf: csrfFrom(form.text) });
  expect(revoked.status).toBe(303);

  const after = await trainer.agent.get(`/trainer/cohorts/${cohortId}`);
  expect(figure(after.text, 'certificates')).toBe(0);
  expect(figure(after.text, 'completed-reporting')).toBe(1);
  const timeline = await trainer.agent.get(`/trainer/cohorts/${cohortId}/learners/${learner.userId}`);
  const kinds = [...timeline.text.matchAll(/data-event="(\w+)"/g)].map((m) => m[1]);
  expect(kinds.slice(-3)).toEqual(['courseCompleted', 'certificateIssued', 'certificateRevoked']);
});
