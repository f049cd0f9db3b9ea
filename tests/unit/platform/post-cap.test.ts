import express from 'express';
import supertest from 'supertest';
import { capPostsPerAddress } from '../../../src/platform/post-cap';

/** An app behind one trusted proxy, so each request can say which address it comes from. */
function appWithCap(max: number, clock: () => number) {
  const app = express();
  app.set('trust proxy', 1);
  app.use(capPostsPerAddress({ max, windowMs: 60_000 }, clock));
  let handled = 0;
  app.all('/form', (_req, res) => {
    handled++;
    res.status(204).end();
  });
  app.use((err: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(err.status ?? 500).end();
  });
  return { app, handled: () => handled };
}

const post = (app: express.Express, from: string) => supertest(app).post('/form').set('x-forwarded-for', from);

describe('the coarse POST cap per address', () => {
  it('when 20 posts from one address arrive at once under a cap of 5, then exactly 5 reach the route', async () => {
    const { app, handled } = appWithCap(5, () => 60_000 * 1000 + 30_000);
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(app, '203.0.113.7')));
    expect(answers.filter((r) => r.status === 204)).toHaveLength(5);
    const refused = answers.filter((r) => r.status === 429);
    expect(refused).toHaveLength(15);
    expect(refused[0]!.headers['retry-after']).toBe('30');
    expect(handled()).toBe(5);
  });

  it('counts addresses apart, one IPv6 /64 as one address, and never counts GETs', async () => {
    const { app, handled } = appWithCap(2, () => 0);
    for (let i = 0; i < 5; i++) expect((await supertest(app).get('/form').set('x-forwarded-for', '198.51.100.1')).status).toBe(204);
    expect((await post(app, '198.51.100.1')).status).toBe(204);
    expect((await post(app, '198.51.100.1')).status).toBe(204);
    expect((await post(app, '198.51.100.1')).status).toBe(429);
    expect((await post(app, '198.51.100.2')).status).toBe(204);
    expect((await post(app, '2001:db8:1:2::1')).status).toBe(204);
    expect((await post(app, '2001:db8:1:2:ffff::9')).status).toBe(204);
    expect((await post(app, '2001:db8:1:2:abcd::5')).status).toBe(429);
    expect(handled()).toBe(5 + 5);
  });

  it('when the window turns, an address that was refused may post again', async () => {
    let now = 0;
    const { app } = appWithCap(1, () => now);
    expect((await post(app, '192.0.2.1')).status).toBe(204);
    expect((await post(app, '192.0.2.1')).status).toBe(429);
    now = 60_000;
    expect((await post(app, '192.0.2.1')).status).toBe(204);
  });
});
