import { parse } from 'csv-parse/sync';
import type { Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { createCohort, enrolDirectly } from '../../helpers/cohorts';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { type SignedIn, signedInAgent } from '../../helpers/learner';

/*
 * A cohort larger than several export chunks (100 learners each): the export streams every member exactly once,
 * in user-id order, and reads the members a batch at a time, so a cohort of 50,000 never sits in the
 * app's memory whole.
 */

const SIZE = 610;
let connection: Connection;
let trainer: SignedIn;
let cohortId: string;
// the learners' e-mail addresses in user-id order
const inIdOrder: string[] = [];

beforeAll(async () => {
  connection = await connectTestDatabase('_cohort_export_large', { monitorCommands: true });
  await seedCourse(connection);
  trainer = await signedInAgent(connection, { role: 'trainer' });
  cohortId = (await createCohort(trainer.agent, { name: 'A large cohort', language: 'en' })).id;
  // enrolled in an order that is not the user-id order: the export still comes out in user-id order
  const users = await enrolDirectly(
    connection,
    cohortId,
    SIZE,
    (i) => ({ email: `learner-${String(i).padStart(4, '0')}@example.org`, name: `Learner ${i}`, language: 'fr', enrolledAt: new Date(Date.UTC(2026, 0, 1 + (i % 28))) }),
    (a, b) => a % 28 - (b % 28) || b - a,
  );
  inIdOrder.push(...users.map((u) => u.email));
});
afterAll(async () => {
  await connection.close();
});

it('when a cohort larger than one chunk is exported, then every learner is one row in user-id order, and the members are read a batch at a time', async () => {
  const reads: { command: string; batchSize?: number }[] = [];
  const watch = (e: { commandName: string; command: Document }) => {
    if (e.commandName === 'find' && e.command.find === 'cohort_members') reads.push({ command: 'find', batchSize: e.command.batchSize });
    if (e.commandName === 'getMore' && e.command.collection === 'cohort_members') reads.push({ command: 'getMore', batchSize: e.command.batchSize });
  };
  connection.getClient().on('commandStarted', watch);
  const res = await trainer.agent.get(`/trainer/cohorts/${cohortId}/export.csv`);
  connection.getClient().off('commandStarted', watch);

  expect(res.status).toBe(200);
  const rows = parse(res.text, { bom: true, columns: true }) as Record<string, string>[];
  expect(rows.map((r) => r['E-mail address'])).toEqual(inIdOrder);
  expect(rows[0]!.Name).toBe('Learner 0');
  // one find and then getMores, none asking for more than a chunk (100) of members
  expect(reads[0]!.command).toBe('find');
  expect(reads.length).toBeGreaterThanOrEqual(Math.ceil(SIZE / 100));
  expect(reads.every((r) => r.batchSize !== undefined && r.batchSize <= 100)).toBe(true);
});
