import type { Connection } from 'mongoose';
import type TestAgent from 'supertest/lib/agent';
import { csrfFrom } from './build-app';
import type { SignedIn } from './learner';
import { answersFor, attemptIdFrom, formBody } from './quiz';

/** A cohort made through the real form; returns its id and the code its page shows in `data-join-code`. */
export async function createCohort(trainer: TestAgent, fields: Record<string, string> = {}) {
  const page = await trainer.get('/trainer/cohorts');
  const res = await trainer
    .post('/trainer/cohorts')
    .type('form')
    .send({ name: 'Cotopaxi spring cohort', language: 'es', _csrf: csrfFrom(page.text), ...fields });
  if (res.status !== 303) throw new Error(`creating a cohort failed with ${res.status}`);
  const id = /\/trainer\/cohorts\/([0-9a-f]{24})$/.exec(res.headers.location ?? '')?.[1];
  if (!id) throw new Error(`unexpected redirect ${res.headers.location}`);
  const shown = await trainer.get(`/trainer/cohorts/${id}`);
  return { id, code: joinCodeIn(shown.text) };
}

export function joinCodeIn(html: string): string {
  const code = /data-join-code="([A-Z0-9]+)"/.exec(html)?.[1];
  if (!code) throw new Error('no data-join-code on the page');
  return code;
}

export async function joinWith(learner: TestAgent, code: string) {
  const page = await learner.get('/cohorts/join');
  return learner.post('/cohorts/join').type('form').send({ code, _csrf: csrfFrom(page.text) });
}

export async function completeLesson(learner: SignedIn, moduleId: string, lessonId: string) {
  const page = await learner.agent.get(`/modules/${moduleId}/lessons/${lessonId}`);
  const res = await learner.agent.post(`/modules/${moduleId}/lessons/${lessonId}/complete`).type('form').send({ _csrf: csrfFrom(page.text) });
  if (res.status !== 303) throw new Error(`completing ${lessonId} failed with ${res.status}`);
}

export async function takeQuiz(connection: Connection, learner: SignedIn, moduleId: string, right: number) {
  const page = await learner.agent.get(`/modules/${moduleId}/quiz`);
  const attemptId = attemptIdFrom(page.text);
  const body = formBody({ ...(await answersFor(connection, attemptId, right)), _csrf: csrfFrom(page.text) });
  const res = await learner.agent.post(`/modules/${moduleId}/quiz`).type('form').send(body);
  if (res.status !== 303) throw new Error(`submitting the quiz failed with ${res.status}`);
  return attemptId;
}

export type MatrixCell = { lessonsDone: number; lessonsTotal: number; bestScore: number | undefined; attempts: number; status: string };

/** The learner table's cells as the page marks them up: user id → module id → figures. */
export function matrixCells(html: string): Map<string, Map<string, MatrixCell>> {
  const rows = new Map<string, Map<string, MatrixCell>>();
  for (const row of html.matchAll(/<tr data-user-id="([0-9a-f]{24})">([\s\S]*?)<\/tr>/g)) {
    const cells = new Map<string, MatrixCell>();
    for (const m of row[2]!.matchAll(
      /data-module="([^"]+)" data-lessons-done="(\d+)" data-lessons-total="(\d+)" data-best-score="(\d*)" data-attempts="(\d+)" data-status="(\w+)"/g,
    )) {
      cells.set(m[1]!, {
        lessonsDone: Number(m[2]),
        lessonsTotal: Number(m[3]),
        bestScore: m[4] ? Number(m[4]) : undefined,
        attempts: Number(m[5]),
        status: m[6]!,
      });
    }
    rows.set(row[1]!, cells);
  }
  return rows;
}

/** A headline figure (`data-figure="…"`). */
export function figure(html: string, name: string): number {
  const m = new RegExp(`data-figure="${name}">(\\d+)<`).exec(html);
  if (!m) throw new Error(`no figure ${name}`);
  return Number(m[1]);
}

/** Everything a cohort consists of, to compare before and after a request that must change nothing. */
export const COHORT_COLLECTIONS = ['cohorts', 'cohort_trainers', 'cohort_members'];

/**
 * Learners put straight into the database and into a cohort, for tests about large cohorts (one
 * sign-up each through the form would take minutes). `person(i)` names the i-th; the users' ids
 * ascend with i. Members are inserted in `order` (default: i ascending). Returns the users.
 */
export async function enrolDirectly(
  connection: Connection,
  cohortId: string,
  count: number,
  person: (i: number) => { email: string; name: string; language?: string; enrolledAt?: Date },
  order: (a: number, b: number) => number = (a, b) => a - b,
) {
  const { Types } = await import('mongoose');
  const people = Array.from({ length: count }, (_, i) => person(i));
  const users = people.map((p) => ({
    _id: new Types.ObjectId(),
    email: p.email,
    name: p.name,
    role: 'learner',
    language: p.language ?? 'en',
    passwordHash: 'x',
    createdAt: new Date(),
    updatedAt: new Date(),
  }));
  await connection.collection('users').insertMany(users);
  const members = users
    .map((u, i) => ({ i, doc: { _id: `${cohortId}:${u._id}`, cohortId, userId: String(u._id), enrolledAt: people[i]!.enrolledAt ?? new Date(), via: 'list' } }))
    .sort((a, b) => order(a.i, b.i))
    .map((m) => m.doc);
  await connection.collection('cohort_members').insertMany(members as never[]);
  return users;
}
