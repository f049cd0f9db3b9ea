import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { artifactsDir, newContext } from './helpers/browser';
import { register } from './helpers/accounts';
import { useJourney } from './helpers/journey';

const journey = useJourney();

const LESSONS = [
  '/modules/introduction/lessons/the-roadmap',
  '/modules/territorial-planning/lessons/aligning-a-local-plan',
  '/modules/reporting/lessons/worksheet',
];

describe('low-bandwidth budgets', () => {
  it('when a lesson page loads, then its HTML+CSS+JS is at most 30 KB gzipped, in at most 6 requests, all to the platform', async () => {
    const { context, foreign } = await newContext(journey.browser, journey.platform.url);
    const page = await register(context, { name: 'Bo Budget', email: 'budget@example.org', password: 'a passphrase long enough', language: 'fr' });
    const report: string[] = [];
    for (const lesson of LESSONS) {
      const responses: { url: string; type: string; bytes: Buffer }[] = [];
      const onResponse = async (res: import('playwright-core').Response) => {
        const type = res.request().resourceType();
        if (type === 'image' || type === 'media' || type === 'font') return;
        responses.push({ url: res.url(), type, bytes: await res.body().catch(() => Buffer.alloc(0)) });
      };
      page.on('response', onResponse);
      await page.goto(lesson, { waitUntil: 'networkidle' });
      page.off('response', onResponse);
      const gzipped = responses.reduce((sum, r) => sum + zlib.gzipSync(r.bytes).length, 0);
      const raw = responses.reduce((sum, r) => sum + r.bytes.length, 0);
      report.push(`${lesson}: ${responses.length} requests, ${(raw / 1024).toFixed(1)} KB raw, ${(gzipped / 1024).toFixed(1)} KB gzip`);
      expect(responses.length).toBeLessThanOrEqual(6);
      expect(gzipped).toBeLessThanOrEqual(30 * 1024);
    }
    expect(foreign).toEqual([]);
    fs.mkdirSync(artifactsDir, { recursive: true });
    fs.writeFileSync(path.join(artifactsDir, 'page-weights.txt'), `${report.join('\n')}\n`);
    await context.close();
  });

  it('when the home page loads, for a visitor and for a signed-in learner, then it weighs less than the lesson budget (30 KB gzip, 6 requests)', async () => {
    const { context, foreign } = await newContext(journey.browser, journey.platform.url);
    const page = await context.newPage();
    const weigh = async () => {
      const responses: Buffer[] = [];
      const onResponse = async (res: import('playwright-core').Response) => {
        const type = res.request().resourceType();
        if (type === 'image' || type === 'media' || type === 'font') return;
        responses.push(await res.body().catch(() => Buffer.alloc(0)));
      };
      page.on('response', onResponse);
      await page.goto('/', { waitUntil: 'networkidle' });
      page.off('response', onResponse);
      return { requests: responses.length, gzipped: responses.reduce((sum, b) => sum + zlib.gzipSync(b).length, 0) };
    };
    const visitor = await weigh();
    const signedIn = await register(context, { name: 'Hana Home', email: 'home-budget@example.org', password: 'a passphrase long enough', language: 'es' }).then(() => weigh());
    for (const w of [visitor, signedIn]) {
      expect(w.requests).toBeLessThanOrEqual(6);
      expect(w.gzipped).toBeLessThanOrEqual(30 * 1024);
    }
    expect(foreign).toEqual([]);
    fs.mkdirSync(artifactsDir, { recursive: true });
    fs.writeFileSync(
      path.join(artifactsDir, 'home-weight.txt'),
      `/ visitor: ${visitor.requests} requests, ${(visitor.gzipped / 1024).toFixed(1)} KB gzip\n/ learner: ${signedIn.requests} requests, ${(signedIn.gzipped / 1024).toFixed(1)} KB gzip\n`,
    );
    await context.close();
  });

  it('when the server sends a lesson, then it is compressed on the wire', async () => {
    const res = await fetch(`${journey.platform.url}/modules?lng=es`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
  });
});
