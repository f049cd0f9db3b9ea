import type { Connection } from 'mongoose';
import { createPrefsService } from '../../../src/features/discussion/prefs.service';
import { notificationModels } from '../../../src/features/discussion/notification.models';
import { upsertRacing } from '../../../src/platform/database';
import { connectTestDatabase } from '../../helpers/database';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('_upserts');
});
afterAll(async () => {
  await connection.close();
});

// The local database does not retry an upsert whose insert lost to another's, as MongoDB does: two
// requests upserting one new document at once gave one of them a duplicate-key error (a 409 page).
describe('upserts that race', () => {
  it('when six writers upsert the same new document at once, again and again, then none fails and one document holds one of their values', async () => {
    const docs = connection.collection<{ _id: string; value: number }>('racing_upserts');
    for (let round = 0; round < 60; round++) {
      const id = `doc-${round}`;
      const writes = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((value) => upsertRacing(() => docs.replaceOne({ _id: id }, { value }, { upsert: true }))));
      expect(writes.filter((w) => w.status === 'rejected')).toEqual([]);
      const stored = await docs.find({ _id: id }).toArray();
      expect(stored).toHaveLength(1);
      expect([1, 2, 3, 4, 5, 6]).toContain(stored[0]!.value);
    }
  });

  it('when the e-mail choices form is sent twice at once, then both are saved without an error and the choices are stored once', async () => {
    const prefs = createPrefsService({ models: notificationModels(connection), clock: () => new Date() });
    for (let round = 0; round < 30; round++) {
      const userId = `member-${round}`;
      const saved = await Promise.allSettled([0, 1, 2].map(() => prefs.save(userId, { replies: false, mentions: true, announcements: true, digest: 'weekly' })));
      expect(saved.filter((s) => s.status === 'rejected')).toEqual([]);
      expect(await prefs.get(userId)).toEqual({ replies: false, mentions: true, announcements: true, digest: 'weekly' });
      expect(await connection.collection('discussion_prefs').countDocuments({ _id: userId as never })).toBe(1);
    }
  });

  it('when a write fails for another reason, then it is not retried and the error reaches the caller', async () => {
    let calls = 0;
    await expect(
      upsertRacing(async () => {
        calls++;
        throw Object.assign(new Error('not a clash'), { code: 2 });
      }),
    ).rejects.toThrow('not a clash');
    expect(calls).toBe(1);
  });
});
