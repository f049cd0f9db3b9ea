import http from 'node:http';
import { connectWithRetry, startLocalDatabase } from '../src/platform/database';
import path from 'node:path';

async function main() {
  const local = await startLocalDatabase({ dataDir: path.resolve('.bench-data'), log: { info: () => {}, warn: () => {} } });
  const c = await connectWithRetry(local.uri, { dbName: 'sdglearn_bench_cohort', log: { warn: () => {} } });
  const db = c.db!;
  const cohort = await db.collection('cohorts').findOne({});
  console.log('cohort', cohort?._id, await db.collection('cohort_members').estimatedDocumentCount());
  for (const [name, proj] of [
    ['cohort_members', { userId: 1, enrolledAt: 1 }],
    ['users', { name: 1, email: 1, language: 1 }],
    ['lesson_completions', { userId: 1, moduleId: 1, lessonId: 1, completedAt: 1 }],
    ['quiz_attempts', { userId: 1, moduleId: 1, startedAt: 1 }],
    ['quiz_grades', { userId: 1, moduleId: 1, scorePercent: 1, passed: 1, gradedAt: 1 }],
    ['module_completions', { userId: 1, moduleId: 1, completedAt: 1 }],
  ] as const) {
    for (const sorted of [false, true]) {
      const t = Date.now();
      let n = 0;
      const sortKey = name === 'users' ? { _id: 1 } : { userId: 1 };
      const cur = db.collection(name).find({}, { projection: proj }).batchSize(1000);
      if (sorted) cur.sort(sortKey as never);
      for await (const _ of cur) n++;
      console.log(name, sorted ? 'sorted' : 'unsorted', n, ((Date.now() - t) / 1000).toFixed(1), 's');
    }
  }
  await c.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
