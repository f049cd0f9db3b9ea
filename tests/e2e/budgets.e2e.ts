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

  it('when the server sends a lesson, then it is compressed on the wire', async () => {
    const res = await fetch(`${journey.platform.url}/modules?lng=es`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
  });
});
