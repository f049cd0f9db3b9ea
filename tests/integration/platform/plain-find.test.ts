import type { Connection } from 'mongoose';
import { findFew, findFirst } from '../../../src/platform/database';
import { connectTestDatabase } from '../../helpers/database';

let connection: Connection;
const db = () => connection.db!;

beforeAll(async () => {
  connection = await connectTestDatabase('_plain_find');
  await db()
    .collection('records')
    .insertMany(Array.from({ length: 7 }, (_, i) => ({ _id: `r${i}` as never, userId: i < 5 ? 'u1' : 'u2', lessonId: `l${i}`, at: new Date(Date.UTC(2026, 0, i + 1)) })));
});
afterAll(async () => {
  await connection.close();
});

it('when a document matches, then findFirst gives it with its own types; when none does, null', async () => {
  expect(await findFirst(db(), 'records', { _id: 'r6' })).toEqual({ _id: 'r6', userId: 'u2', lessonId: 'l6', at: new Date(Date.UTC(2026, 0, 7)) });
  expect(await findFirst(db(), 'records', { _id: 'r6' }, { _id: 0, lessonId: 1 })).toEqual({ lessonId: 'l6' });
  expect(await findFirst(db(), 'records', { _id: 'nobody' })).toBeNull();
  expect(await findFirst(db(), 'missing_collection', { _id: 'r1' })).toBeNull();
});

it('when a learner has a few records, then findFew gives every one of them, and only theirs', async () => {
  const few = await findFew<{ lessonId: string }>(db(), 'records', { userId: 'u1' }, { _id: 0, lessonId: 1 });
  expect(few.map((r) => r.lessonId).sort()).toEqual(['l0', 'l1', 'l2', 'l3', 'l4']);
  expect(await findFew(db(), 'records', { userId: 'nobody' })).toEqual([]);
});

it('when more documents match than findFew expects, then it still gives all of them (none cut off at the batch)', async () => {
  for (const few of [1, 3, 4, 5]) {
    const all = await findFew<{ _id: string }>(db(), 'records', { userId: 'u1' }, undefined, few);
    expect(all.map((r) => r._id).sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  }
});
