import type { Connection } from 'mongoose';
import { ensureIndexes } from '../../../src/bootstrap';
import { purgeExpiredAccountRecords } from '../../../src/features/accounts';
import { ATTEMPTS_COLLECTION, createAttemptLimiter, ipBucket } from '../../../src/platform/attempt-limiter';
import { connectTestDatabase } from '../../helpers/database';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase('_limiter');
  await ensureIndexes(connection);
});
afterAll(async () => {
  await connection.close();
});

describe('counting attempts in the database', () => {
  it('when 40 attempts for one key with 5 slots arrive at once, then exactly 5 go ahead (no race on FerretDB)', async () => {
    // one fixed moment: on the wall clock the last take could fall into the next minute's window
    // and rightly be let through (it did, once in CI)
    const now = new Date('2026-01-01T10:00:10Z');
    const limiter = createAttemptLimiter(connection, () => now);
    const limit = { key: 'login:email:burst@example.org', max: 5, windowMs: 60_000 };
    const claims = await Promise.all(Array.from({ length: 40 }, () => limiter.take([limit])));
    expect(claims.filter((c) => c.allowed)).toHaveLength(5);
    expect(await connection.collection(ATTEMPTS_COLLECTION).countDocuments({ key: limit.key })).toBe(5);
    expect((await limiter.take([limit])).allowed).toBe(false);
  });

  it('when the next window starts, then its slots are taken by one racer each', async () => {
    let now = new Date('2026-01-01T10:00:10Z');
    const limiter = createAttemptLimiter(connection, () => now);
    const limit = { key: 'reset:email:window@example.org', max: 3, windowMs: 60_000 };
    expect((await Promise.all(Array.from({ length: 3 }, () => limiter.take([limit])))).every((c) => c.allowed)).toBe(true);
    now = new Date(now.getTime() + 61_000);
    const again = await Promise.all(Array.from({ length: 20 }, () => limiter.take([limit])));
    expect(again.filter((c) => c.allowed)).toHaveLength(3);
  });

  it('when one of two limits is used up, then the slot taken under the other is given back', async () => {
    const limiter = createAttemptLimiter(connection);
    const email = { key: 'login:email:both@example.org', max: 5, windowMs: 60_000 };
    const ip = { key: 'login:ip:198.51.100.7', max: 1, windowMs: 60_000 };
    expect((await limiter.take([email, ip])).allowed).toBe(true);
    expect((await limiter.take([email, ip])).allowed).toBe(false);
    expect(await connection.collection(ATTEMPTS_COLLECTION).countDocuments({ key: email.key })).toBe(1);
  });

  it('when a claim is released, then its slots are free again', async () => {
    const limiter = createAttemptLimiter(connection);
    const limit = { key: 'cohort-join:released', max: 1, windowMs: 60_000 };
    const claim = await limiter.take([limit]);
    await claim.release();
    expect((await limiter.take([limit])).allowed).toBe(true);
  });

  it('when a key is forgotten, then its attempts no longer count and other keys keep theirs', async () => {
    const limiter = createAttemptLimiter(connection);
    const a = { key: 'login:email:a@example.org', max: 1, windowMs: 60_000 };
    const b = { key: 'login:email:b@example.org', max: 1, windowMs: 60_000 };
    await limiter.take([a, b]);
    await limiter.forget(a.key);
    expect((await limiter.take([a])).allowed).toBe(true);
    expect((await limiter.take([b])).allowed).toBe(false);
  });

  it('when the purge runs, then expired attempts and reset links go and live ones stay', async () => {
    const now = new Date();
    const attempts = connection.collection(ATTEMPTS_COLLECTION);
    await attempts.deleteMany({});
    await attempts.insertMany([
      { key: 'old', at: new Date(now.getTime() - 3_600_000), expiresAt: new Date(now.getTime() - 1000) },
      { key: 'live', at: now, expiresAt: new Date(now.getTime() + 60_000) },
    ]);
    await connection.collection('password_resets').insertMany([
      { _id: 'expired-hash' as never, userId: 'u', expiresAt: new Date(now.getTime() - 1000) },
      { _id: 'live-hash' as never, userId: 'u', expiresAt: new Date(now.getTime() + 60_000) },
    ]);
    expect(await purgeExpiredAccountRecords(connection, now)).toBe(2);
    expect((await attempts.find().toArray()).map((d) => d.key)).toEqual(['live']);
    expect((await connection.collection('password_resets').find().toArray()).map((d) => String(d._id))).toEqual(['live-hash']);
  });

  it('when indexes are made, then attempts, users, reset links and sessions have the ones the queries need', async () => {
    const names = async (c: string) => (await connection.collection(c).indexes()).map((i) => JSON.stringify(i.key));
    expect(await names(ATTEMPTS_COLLECTION)).toEqual(expect.arrayContaining(['{"key":1,"at":1}', '{"expiresAt":1}']));
    expect(await names('sessions')).toEqual(expect.arrayContaining(['{"userId":1}', '{"session.passport.user":1}']));
    const users = await connection.collection('users').indexes();
    expect(users.find((i) => JSON.stringify(i.key) === '{"email":1}')?.unique).toBe(true);
    expect(await names('password_resets')).toEqual(expect.arrayContaining(['{"userId":1}', '{"expiresAt":1}']));
    expect(await names('audit_events')).toContain('{"at":-1,"_id":-1}');
  });
});

describe('ipBucket', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:DB8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('when the address is %s, then attempts count against %s', (ip, bucket) => {
    expect(ipBucket(ip)).toBe(bucket);
  });
});
