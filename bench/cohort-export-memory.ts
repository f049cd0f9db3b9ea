/**
 * The memory one fresh app process adds while it streams a cohort's CSV export. Run by
 * bench/cohort-page.ts in a child process, so that nothing the page benchmark built up counts:
 *   BENCH_DB_URI=mongodb://… BENCH_DB_NAME=… COHORT_ID=… node --expose-gc --import tsx bench/cohort-export-memory.ts
 * Prints one JSON line: bytes, seconds, and the growth of resident memory, of the heap at its peak,
 * and of the heap still in use after a forced garbage collection (what the export really holds).
 */
import http from 'node:http';
import { connectWithRetry } from '../src/platform/database';
import { benchServer } from './helpers';

const MB = 1024 * 1024;

function download(url: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { cookie, 'accept-encoding': 'identity' } }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`export answered ${res.statusCode}`));
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
        });
        res.on('end', () => resolve(bytes));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function main() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const connection = await connectWithRetry(process.env.BENCH_DB_URI!, { dbName: process.env.BENCH_DB_NAME!, log: { warn: () => {} } });
  const server = await benchServer(connection);
  const page = await fetch(`${server.url}/login`);
  const first = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const login = await fetch(`${server.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: first },
    body: new URLSearchParams({ email: process.env.BENCH_EMAIL!, password: process.env.BENCH_PASSWORD!, _csrf: token }),
  });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') || first;

  gc();
  const base = process.memoryUsage();
  let rss = base.rss;
  let heap = base.heapUsed;
  let retained = base.heapUsed;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 10);
  const collect = setInterval(() => {
    gc();
    retained = Math.max(retained, process.memoryUsage().heapUsed);
  }, 2000);
  const started = performance.now();
  const bytes = await download(`${server.url}/trainer/cohorts/${process.env.COHORT_ID}/export.csv`, cookie);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sample);
  clearInterval(collect);
  console.log(
    JSON.stringify({ bytes, seconds, rssMB: (rss - base.rss) / MB, heapPeakMB: (heap - base.heapUsed) / MB, retainedMB: (retained - base.heapUsed) / MB }),
  );
  await server.close();
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
