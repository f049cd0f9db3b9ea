/**
 * The cohort page with 50,000 learners against 5,000, measured through the whole stack (HTTP,
 * session, the report's queries, EJS), and the memory the CSV export of 50,000 rows adds.
 *   npm run bench:cohort
 * Figures: page time ratio 50,000 / 5,000 (linear is 10; goal ≤ 11) and the export's peak memory
 * growth (goal ≤ 64 MB: it streams). BENCH_SIZES=500,5000 runs smaller sizes; BENCH_RUNS=n times
 * each page n times (default: the small one 3 times, the large one twice, as it takes minutes on the
 * local database); the fastest load of each counts, the first ones also warming up the caches.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { accountsServiceFor } from '../src/features/accounts';
import { createContentService } from '../src/features/content';
import { loadConfig } from '../src/config';
import { ensureIndexes } from '../src/bootstrap';
import { modulesDir } from '../src/platform/paths';
import { generateCohort } from './cohort-data';
import { benchDatabase, benchServer, get, login, ratio } from './helpers';

const [SMALL, LARGE] = (process.env.BENCH_SIZES ?? '5000,50000').split(',').map(Number) as [number, number];
const runsFor = (size: number) => Number(process.env.BENCH_RUNS ?? (size === SMALL ? 3 : 2));
const MB = 1024 * 1024;
const TRAINER = 'trainer@bench.example.org';

/** Runs bench/cohort-export-memory.ts in a child process against the same database. */
function exportInChild(connection: Connection, cohortId: string, password: string) {
  const uri = process.env.MONGODB_URI ?? `mongodb://${connection.host}:${connection.port}`;
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'cohort-export-memory.ts')], {
    env: { ...process.env, BENCH_DB_URI: uri, BENCH_DB_NAME: connection.name, COHORT_ID: cohortId, BENCH_EMAIL: TRAINER, BENCH_PASSWORD: password },
    encoding: 'utf8',
    maxBuffer: 10 * MB,
  });
  if (child.status !== 0) throw new Error(`the export process failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as { bytes: number; seconds: number; rssMB: number; heapPeakMB: number; retainedMB: number };
}

async function main() {
  const db = await benchDatabase('cohort');
  const { connection } = db;
  const server = await benchServer(connection);
  const password = 'bench password that is long enough';
  const results: Record<number, { pageMs: number; docs: number }> = {};
  let cohortId = '';
  let cookie = '';

  for (const size of [SMALL, LARGE]) {
    // each size on an empty database: the page reads what the database holds, so the ratio is fair
    await connection.dropDatabase();
    await ensureIndexes(connection);
    const content = createContentService({ connection });
    await content.seedFromFolder(modulesDir);
    const accounts = accountsServiceFor(connection, loadConfig({ NODE_ENV: 'test' }).passwordHashing);
    const trainer = await accounts.createUser({ role: 'trainer', name: 'Bench Trainer', email: TRAINER, password, language: 'en' });
    if (!trainer.ok) throw new Error('could not create the trainer');
    cookie = await login(server.url, TRAINER, password);
    const form = await get(`${server.url}/trainer/cohorts`, cookie);
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text ?? '')![1]!;
    const created = await fetch(`${server.url}/trainer/cohorts`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ name: `Bench ${size}`, language: 'en', _csrf: token }),
    });
    cohortId = /\/trainer\/cohorts\/([0-9a-f]{24})/.exec(created.headers.get('location') ?? '')![1]!;

    let started = Date.now();
    const docs = await generateCohort(connection, { size, cohortId, modules: await content.modules() });
    console.log(`${size} learners: ${docs} documents generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const times: number[] = [];
    for (let run = 0; run < runsFor(size); run++) {
      started = performance.now();
      const page = await get(`${server.url}/trainer/cohorts/${cohortId}`, cookie);
      times.push(performance.now() - started);
      if (page.status !== 200 || !page.text?.includes(`data-figure="enrolled">${size}<`)) throw new Error(`cohort page failed: ${page.status}`);
    }
    console.log(`${size} learners: cohort page ${times.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ')}`);
    results[size] = { pageMs: Math.min(...times), docs };
  }

  // The export of the large cohort, in a fresh process so that only the export's own memory counts.
  const exported = await exportInChild(connection, cohortId, password);

  console.log(`cohort page: ${(results[SMALL]!.pageMs / 1000).toFixed(2)} s for ${SMALL} learners, ${(results[LARGE]!.pageMs / 1000).toFixed(2)} s for ${LARGE}`);
  console.log(`ratio page time ${LARGE}/${SMALL}: ${ratio(results[LARGE]!.pageMs, results[SMALL]!.pageMs)} (linear: ${LARGE / SMALL}; goal ≤ ${(LARGE / SMALL) * 1.1})`);
  console.log(`export of ${LARGE} rows: ${(exported.bytes / MB).toFixed(1)} MB of CSV in ${exported.seconds.toFixed(1)} s`);
  console.log(
    `memory growth while exporting ${LARGE} rows: ${exported.rssMB.toFixed(1)} MB resident (goal ≤ 64 MB); heap ${exported.heapPeakMB.toFixed(1)} MB at its peak, ${exported.retainedMB.toFixed(1)} MB still in use after garbage collection`,
  );
  await server.close();
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
