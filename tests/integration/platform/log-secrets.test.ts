import { Writable } from 'node:stream';
import type { Connection } from 'mongoose';
import pino from 'pino';
import supertest from 'supertest';
import { createApp } from '../../../src/app';
import { redactUrl } from '../../../src/platform/log-redaction';
import { csrfFrom, testConfig } from '../../helpers/build-app';
import { connectTestDatabase } from '../../helpers/database';
import { createUser, strongPassword } from '../../helpers/factories';
import { mailTo } from '../../helpers/mail';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase('_log_secrets');
});
afterAll(async () => {
  await connection.close();
});

/** An app whose log lines are kept, as an operator's log store would keep them. */
function appWithCapturedLog() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const app = createApp({ config: testConfig(), connection, logger: pino({ level: 'info' }, sink) });
  return { app, lines };
}

describe('secrets in the logs', () => {
  it('when a password is reset through its link, then no log line holds the token', async () => {
    const user = await createUser(connection);
    const { app, lines } = appWithCapturedLog();
    const agent = supertest.agent(app);
    const forgotToken = csrfFrom((await agent.get('/password/forgot')).text);
    await agent.post('/password/forgot').type('form').send({ email: user.email, _csrf: forgotToken });
    const mail = (await mailTo(connection, user.email)).at(-1);
    const path = /http:\/\/localhost:3000(\/password\/reset\/([A-Za-z0-9_-]+))/.exec(mail?.text ?? '');
    const [, link, token] = path ?? [];
    if (!link || !token) throw new Error('no reset link was e-mailed');

    const form = await agent.get(link);
    expect(form.status).toBe(200);
    const done = await agent.post(link).type('form').send({ password: strongPassword(), _csrf: csrfFrom(form.text) });
    expect(done.status).toBe(303);
    await agent.get(`${link}?token=${token}`);

    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.filter((l) => l.includes(token))).toEqual([]);
    expect(lines.some((l) => l.includes('/password/reset/[redacted]'))).toBe(true);
  });
});

describe('redactUrl', () => {
  it.each([
    ['/password/reset/abcDEF123_-xyz', '/password/reset/[redacted]'],
    ['/password/reset/abc?lng=es', '/password/reset/[redacted]?lng=es'],
    ['/verify/7KQ2-M9XD', '/verify/[redacted]'],
    ['/certificates/7KQ2M9XD.pdf', '/certificates/[redacted]'],
    ['/cohorts/join?code=ABCD2345&lng=fr', '/cohorts/join?code=[redacted]&lng=fr'],
    ['/x?Token=1&a=2&%74oken=3', '/x?Token=[redacted]&a=2&%74oken=[redacted]'],
    ['/x?%ZZ=1', '/x?%ZZ=1'],
    ['/modules/introduction', '/modules/introduction'],
  ])('when the URL is %s, then the log says %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });
});
