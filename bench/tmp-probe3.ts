import path from 'node:path';
import { connectWithRetry, startLocalDatabase } from '../src/platform/database';

const SPECS = [
  ['cohort_members', { userId: 1, enrolledAt: 1 }, { userId: 1 }],
  ['users', { name: 1, email: 1, language: 1 }, { _id: 1 }],
  ['lesson_completions', { userId: 1, moduleId: 1, lessonId: 1, completedAt: 1 }, { userId: 1 }],
  ['quiz_attempts', { userId: 1, moduleId: 1, startedAt: 1 }, { userId: 1 }],
  ['quiz_grades', { userId: 1, moduleId: 1, scorePercent: 1, passed: 1, gradedAt: 1 }, { userId: 1 }],
  ['module_completions', { userId: 1, moduleId: 1, completedAt: 1 }, { userId: 1 }],
  ['course_completions', { userId: 1, completedAt: 1 }, { userId: 1 }],
] as const;

async function main() {
  const local = await startLocalDatabase({ dataDir: path.resolve('.bench-data'), log: { info: () => {}, warn: () => {} } });
  const c = await connectWithRetry(local.uri, { dbName: 'sdglearn_bench_cohort', log: { warn: () => {} } });
  const db = c.db!;
  for (const mode of (process.env.MODES ?? 'parallel-unsorted,parallel-sorted').split(',')) {
    const t = Date.now();
    const run = async ([name, proj, sort]: (typeof SPECS)[number]) => {
      const cur = db.collection(name).find({}, { projection: proj }).batchSize(1000);
      if (mode.endsWith('-sorted')) cur.sort(sort as never);
      let n = 0;
      for await (const _ of cur) n++;
      return n;
    };
    if (mode.startsWith('parallel')) await Promise.all(SPECS.map(run));
    else for (const s of SPECS) await run(s);
    console.log(mode, ((Date.now() - t) / 1000).toFixed(1), 's');
  }
  await c.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
