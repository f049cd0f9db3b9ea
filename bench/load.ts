/**
 * Many learners at once: BENCH_USERS (200) signed-in learners for BENCH_SECONDS (60) against the
 * server started as `npm start` starts it (its own process, the local database), on a platform of
 * BENCH_LEARNERS (5,000) generated learners. Each learner reads lessons, completes lessons and
 * takes quizzes. Prints requests per second, latency percentiles and errors, then checks that
 * every write the server acknowledged (303) is stored.
 *   npm run bench:load
 * Goals (issue 12): 0 errors, p99 under 1 s, 0 acknowledged writes lost. Between two pages a learner
 * pauses BENCH_THINK_MS (1,000 ms, far less than reading a lesson takes), and each starts at a
 * random moment of the first pause; 0 is a stress test where all start at once.
 * Each learner sends its own X-Forwarded-For (the server trusts one proxy here), as learners behind
 * a proxy would, so per-IP limits see 200 people, not one; the traffic stays on loopback.
 */
import { accountsServiceFor } from '../src/features/accounts';
import { createContentService } from '../src/features/content';
import { loadConfig } from '../src/config';
import { modulesDir } from '../src/platform/paths';
import { generateCohort } from './cohort-data';
import { benchDatabase, csrfIn, spawnServer } from './helpers';

const USERS = Number(process.env.BENCH_USERS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const PLATFORM = Number(process.env.BENCH_LEARNERS ?? 5000);
const PASSWORD = 'bench password that is long enough';
/** a learner's pause between pages; 0 makes it a stress test where every learner clicks without reading */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 1000);

type Outcome = { ms: number; ok: boolean; what: string };

/** One learner's browser: a cookie jar of one session and its own client address. */
function browser(base: string, ip: string) {
  let cookie = '';
  const remember = (res: Response) => {
    const set = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
    if (set.length > 0) {
      const jar = new Map(cookie.split('; ').filter(Boolean).map((c) => [c.split('=')[0]!, c] as const));
      for (const c of set) jar.set(c.split('=')[0]!, c);
      cookie = [...jar.values()].join('; ');
    }
  };
  const headers = () => ({ cookie, 'x-forwarded-for': ip });
  return {
    async get(p: string) {
      const res = await fetch(base + p, { headers: headers(), redirect: 'manual' });
      remember(res);
      return { status: res.status, text: await res.text() };
    },
    async post(p: string, fields: URLSearchParams) {
      const res = await fetch(base + p, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' },
        body: fields,
      });
      remember(res);
      await res.arrayBuffer();
      return { status: res.status, location: res.headers.get('location') ?? '' };
    },
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function main() {
  const db = await benchDatabase('load');
  const { connection } = db;
  const content = createContentService({ connection });
  await content.seedFromFolder(modulesDir);
  const modules = await content.modules();
  let started = Date.now();
  const docs = await generateCohort(connection, { size: PLATFORM, cohortId: 'bench-platform', modules, certificates: true });
  console.log(`${PLATFORM} learners on the platform: ${docs} documents in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const accounts = accountsServiceFor(connection, loadConfig({ NODE_ENV: 'test' }).passwordHashing);
  const learners: { email: string; userId: string }[] = [];
  for (let i = 0; i < USERS; i++) {
    const email = `load-${i}@bench.example.org`;
    const made = await accounts.createUser({ role: 'learner', name: `Load ${i}`, email, password: PASSWORD, language: 'en' });
    if (!made.ok) throw new Error(`could not create ${email}`);
    learners.push({ email, userId: made.user.id });
  }

  const server = await spawnServer(connection);
  const base = server.url;

  const outcomes: Outcome[] = [];
  const completions: { userId: string; moduleId: string; lessonId: string }[] = [];
  const graded: string[] = [];
  const failures = new Map<string, number>();
  const note = (what: string, ms: number, ok: boolean, status: number) => {
    outcomes.push({ what, ms, ok });
    if (!ok) failures.set(`${what} ${status}`, (failures.get(`${what} ${status}`) ?? 0) + 1);
  };
  const timed = async <T extends { status: number }>(what: string, want: number, work: () => Promise<T>) => {
    const t = performance.now();
    try {
      const res = await work();
      note(what, performance.now() - t, res.status === want, res.status);
      return res;
    } catch (err) {
      note(what, performance.now() - t, false, 0);
      throw err;
    }
  };

  const signedIn = await Promise.all(
    learners.map(async (learner, i) => {
      const b = browser(base, `10.${(i >> 8) & 255}.${i & 255}.7`);
      const page = await b.get('/login');
      const res = await b.post('/login', new URLSearchParams({ email: learner.email, password: PASSWORD, _csrf: csrfIn(page.text) }));
      if (res.status !== 303) throw new Error(`login answered ${res.status}`);
      return { ...learner, b };
    }),
  );
  console.log(`${USERS} learners signed in; ${SECONDS} s of load, pausing about ${THINK_MS} ms between pages`);

  const deadline = Date.now() + SECONDS * 1000;
  started = Date.now();
  let seed = 1;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  await Promise.all(
    signedIn.map(async ({ b, userId }) => {
      // learners arrive over the first pause, not all in the same millisecond
      if (THINK_MS > 0) await new Promise((r) => setTimeout(r, random(THINK_MS)));
      while (Date.now() < deadline) {
        const module = modules[random(modules.length)]!;
        const lesson = module.lessons[random(module.lessons.length)]!;
        const roll = random(100);
        try {
          const read = await timed('lesson read', 200, () => b.get(`/modules/${module.moduleId}/lessons/${lesson.id}`));
          if (roll < 30) {
            const done = await timed('lesson complete', 303, () =>
              b.post(`/modules/${module.moduleId}/lessons/${lesson.id}/complete`, new URLSearchParams({ _csrf: csrfIn(read.text) })),
            );
            if (done.status === 303) completions.push({ userId, moduleId: module.moduleId, lessonId: lesson.id });
          } else if (roll < 45) {
            const quiz = await timed('quiz draw', 200, () => b.get(`/modules/${module.moduleId}/quiz`));
            const attemptId = /name="attemptId" value="([0-9a-f]{24})"/.exec(quiz.text)?.[1] ?? '';
            // the form's hidden fields, as a browser sends them: the attempt and its signed copy
            const attemptToken = /name="attemptToken" value="([^"]+)"/.exec(quiz.text)?.[1] ?? '';
            const fields = new URLSearchParams({ _csrf: csrfIn(quiz.text), attemptId, attemptToken });
            const seen = new Set<string>();
            for (const m of quiz.text.matchAll(/name="(q\.[^"]+)" value="([^"]+)"/g)) {
              if (!seen.has(m[1]!)) fields.append(m[1]!, m[2]!);
              seen.add(m[1]!);
            }
            const submitted = await timed('quiz submit', 303, () => b.post(`/modules/${module.moduleId}/quiz`, fields));
            if (submitted.status === 303) graded.push(attemptId);
          }
        } catch {
          // counted as an error above
        }
        if (THINK_MS > 0) await new Promise((r) => setTimeout(r, THINK_MS * (0.5 + random(100) / 100)));
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;

  await server.stop();

  const lessons = connection.collection('lesson_completions');
  let lost = 0;
  for (const c of completions) if (!(await lessons.findOne(c))) lost++;
  const grades = connection.collection('quiz_grades');
  const { Types } = await import('mongoose');
  for (const id of graded) if (!(await grades.findOne({ _id: new Types.ObjectId(id) }))) lost++;

  const all = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const errors = outcomes.filter((o) => !o.ok).length;
  console.log(`${outcomes.length} requests in ${elapsed.toFixed(0)} s: ${(outcomes.length / elapsed).toFixed(1)} requests/s`);
  console.log(
    `latency: p50 ${percentile(all, 50).toFixed(0)} ms, p95 ${percentile(all, 95).toFixed(0)} ms, p99 ${percentile(all, 99).toFixed(0)} ms, max ${(all.at(-1) ?? 0).toFixed(0)} ms (goal: p99 < 1,000 ms)`,
  );
  for (const what of ['lesson read', 'lesson complete', 'quiz draw', 'quiz submit']) {
    const mine = outcomes.filter((o) => o.what === what).map((o) => o.ms).sort((a, b) => a - b);
    console.log(`  ${what.padEnd(16)} ${String(mine.length).padStart(6)} requests, p50 ${percentile(mine, 50).toFixed(0)} ms, p99 ${percentile(mine, 99).toFixed(0)} ms`);
  }
  console.log(`errors: ${errors} (goal 0)${errors ? ` ${JSON.stringify(Object.fromEntries(failures))}` : ''}`);
  console.log(`acknowledged writes: ${completions.length} lesson completions and ${graded.length} graded attempts; lost: ${lost} (goal 0)`);
  await db.close();
  if (errors > 0 || lost > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
