import crypto from 'node:crypto';
import { type Connection, Types } from 'mongoose';
import supertest from 'supertest';
import { createApp } from '../../../src/app';
import { createLogger } from '../../../src/platform/logger';
import { buildApp, csrfFrom, testConfig } from '../../helpers/build-app';
import { connectTestDatabase } from '../../helpers/database';
import { createUser, snapshot } from '../../helpers/factories';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase('_bursts');
});
afterAll(async () => {
  await connection.close();
});

/** `n` clients, each with its own session and CSRF token, ready to post the form at `page` at once. */
async function clients(n: number, page: string, app = buildApp(connection)) {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const agent = supertest.agent(app);
      return { agent, token: csrfFrom((await agent.get(page)).text) };
    }),
  );
}

const auditCount = (filter: Record<string, unknown>) => connection.collection('audit_events').countDocuments(filter);

describe('limits under parallel bursts', () => {
  it('when 40 wrong passwords for one e-mail arrive at once, then exactly 5 passwords are checked and 35 get 429', async () => {
    const user = await createUser(connection);
    const burst = await clients(40, '/login');
    const answers = await Promise.all(
      burst.map(({ agent, token }) => agent.post('/login').type('form').send({ email: user.email, password: 'not the password at all', _csrf: token })),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);
    expect(await auditCount({ action: 'login.failed', targetEmail: user.email, 'details.reason': 'wrong-password' })).toBe(5);
    expect(await auditCount({ action: 'login.failed', targetEmail: user.email, 'details.reason': 'limited' })).toBe(35);
    // the right password is refused too until the window passes: the limit is per e-mail
    const [late] = await clients(1, '/login');
    const res = await late!.agent.post('/login').type('form').send({ email: user.email, password: user.password, _csrf: late!.token });
    expect(res.status).toBe(429);
  });

  it('when 40 sign-ups from one address arrive at once, then exactly 30 accounts are made and 10 get 429 in the user’s language', async () => {
    const before = await connection.collection('users').countDocuments();
    const burst = await clients(40, '/register?lng=es');
    const answers = await Promise.all(
      burst.map(({ agent, token }) =>
        agent
          .post('/register')
          .type('form')
          .send({ name: 'Ana Burst', email: `burst-${crypto.randomUUID()}@example.org`, password: 'a passphrase long enough', language: 'es', _csrf: token }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 303)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    const refused = answers.find((r) => r.status === 429)!;
    expect(refused.headers['retry-after']).toBe('3600');
    expect(refused.text).toContain('Se han creado demasiadas cuentas desde su red');
    expect((await connection.collection('users').countDocuments()) - before).toBe(30);
  });

  it('when 12 reset requests for one address arrive at once, then exactly 3 are accepted and one link per accepted request is stored', async () => {
    const user = await createUser(connection);
    const burst = await clients(12, '/password/forgot');
    const answers = await Promise.all(
      burst.map(({ agent, token }) => agent.post('/password/forgot').type('form').send({ email: user.email, _csrf: token })),
    );
    expect(answers.filter((r) => r.status === 429)).toHaveLength(9);
    expect(await auditCount({ action: 'password.resetRequested', targetEmail: user.email })).toBe(3);
    expect(await connection.collection('password_resets').countDocuments({ userId: new Types.ObjectId(user.id) })).toBe(3);
  });

  it('when one address posts past the coarse cap, then the extra posts get 429 with Retry-After and change nothing', async () => {
    const app = createApp({ config: testConfig(), connection, logger: createLogger('silent'), postCap: { max: 15, windowMs: 60_000 } });
    const burst = await clients(30, '/password/forgot', app);
    const before = await snapshot(connection, ['users', 'password_resets']);
    const answers = await Promise.all(
      burst.map(({ agent, token }) => agent.post('/password/forgot').type('form').send({ email: `nobody-${crypto.randomUUID()}@example.org`, _csrf: token })),
    );
    const refused = answers.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(15);
    // until the minute's window turns
    const retryAfter = Number(refused[0]!.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(answers.every((r) => r.status < 500)).toBe(true);
    expect(await snapshot(connection, ['users', 'password_resets'])).toEqual(before);
  });
});
