/**
 * The platform as it fills: a learner's pages and a trainer's cohort pages with 1,000 learners on
 * the platform, then with 50,000, measured through the whole stack (HTTP, session, queries, EJS) in
 * the same run, on the same database server.
 *   npm run bench:scale
 * Each size starts from an empty database and generates learners with realistic records (lesson
 * completions, quiz attempts and grades, module and course completions, certificates), then:
 *   - learner pages: a fresh learner per run opens the dashboard, the module page and a lesson,
 *     completes the lesson, draws a quiz attempt and submits it; the median of BENCH_RUNS runs;
 *   - cohort pages: a 30-learner cohort, and (when the platform has them) a 5,000-learner cohort.
 * Goals (issue 12): each learner page at 50,000 ÷ at 1,000 ≤ 1.5; dashboard ≤ 50 ms at 50,000 on an
 * idle 2-core machine; the 30-learner cohort page ≤ 300 ms and the 5,000-learner one ≤ 3 s.
 * BENCH_LEARNERS=1000,50000 sets the sizes, BENCH_RUNS=11 the runs.
 */
import { accountsServiceFor } from '../src/features/accounts';
import { createContentService, type PublishedModule } from '../src/features/content';
import { loadConfig } from '../src/config';
import { ensureIndexes } from '../src/bootstrap';
import { modulesDir } from '../src/platform/paths';
import { generateCohort } from './cohort-data';
import { benchDatabase, benchServer, csrfIn, get, login, median, postForm, ratio } from './helpers';

const SIZES = (process.env.BENCH_LEARNERS ?? '1000,50000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const PAGES = ['dashboard', 'module page', 'lesson page', 'lesson complete', 'quiz draw', 'quiz submit'] as const;
type Page = (typeof PAGES)[number];
const PASSWORD = 'bench password that is long enough';

async function timed<T>(into: number[], work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  into.push(performance.now() - started);
  return result;
}

/** The quiz form's answers: the first option offered for each question. */
function firstOptions(html: string): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const m of html.matchAll(/name="(q\.[^"]+)" value="([^"]+)"/g)) answers[m[1]!] ??= m[2]!;
  return answers;
}

async function learnerPages(url: string, signUp: (email: string) => Promise<void>, module: PublishedModule, tag: string) {
  const times = Object.fromEntries(PAGES.map((p) => [p, [] as number[]])) as Record<Page, number[]>;
  const base = `${url}/modules/${module.moduleId}`;
  for (let run = 0; run < RUNS; run++) {
    const email = `probe-${tag}-${run}@bench.example.org`;
    await signUp(email);
    const cookie = await login(url, email, PASSWORD);
    // some progress of their own first, as a learner coming back has
    const first = await get(`${base}/lessons/${module.lessons[0]!.id}`, cookie);
    await postForm(`${base}/lessons/${module.lessons[0]!.id}/complete`, cookie, {}, csrfIn(first.text));

    const check = (what: string, status: number, want: number) => {
      if (status !== want) throw new Error(`${what} answered ${status}, not ${want}`);
    };
    check('dashboard', (await timed(times.dashboard, () => get(`${url}/dashboard`, cookie))).status, 200);
    check('module page', (await timed(times['module page'], () => get(base, cookie))).status, 200);
    const lessonId = module.lessons[1]!.id;
    const lesson = await timed(times['lesson page'], () => get(`${base}/lessons/${lessonId}`, cookie));
    check('lesson page', lesson.status, 200);
    const done = await timed(times['lesson complete'], () => postForm(`${base}/lessons/${lessonId}/complete`, cookie, {}, csrfIn(lesson.text)));
    check('lesson complete', done.status, 303);
    const quiz = await timed(times['quiz draw'], () => get(`${base}/quiz`, cookie));
    check('quiz draw', quiz.status, 200);
    const attemptId = /name="attemptId" value="([0-9a-f]{24})"/.exec(quiz.text ?? '')?.[1] ?? '';
    const fields = { attemptId, ...firstOptions(quiz.text ?? '') };
    const graded = await timed(times['quiz submit'], () => postForm(`${base}/quiz`, cookie, fields, csrfIn(quiz.text)));
    check('quiz submit', graded.status, 303);
  }
  return Object.fromEntries(PAGES.map((p) => [p, median(times[p])])) as Record<Page, number>;
}

/** A cohort made through the trainer's form, with `userIds` as its members. */
async function cohortOf(url: string, cookie: string, connection: import('mongoose').Connection, name: string, userIds: string[]) {
  const form = await get(`${url}/trainer/cohorts`, cookie);
  const created = await postForm(`${url}/trainer/cohorts`, cookie, { name, language: 'en' }, csrfIn(form.text));
  const cohortId = /\/trainer\/cohorts\/([0-9a-f]{24})/.exec(created.location)?.[1];
  if (!cohortId) throw new Error(`creating the cohort answered ${created.status}`);
  const enrolledAt = new Date();
  for (let i = 0; i < userIds.length; i += 5000) {
    await connection.collection('cohort_members').insertMany(
      userIds.slice(i, i + 5000).map((userId) => ({ _id: `${cohortId}:${userId}`, cohortId, userId, enrolledAt, via: 'list' })) as never[],
    );
  }
  return cohortId;
}

async function cohortPage(url: string, cookie: string, cohortId: string, size: number, runs: number) {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const page = await timed(times, () => get(`${url}/trainer/cohorts/${cohortId}`, cookie));
    if (page.status !== 200 || !page.text?.includes(`data-figure="enrolled">${size}<`)) throw new Error(`cohort page answered ${page.status}`);
  }
  return median(times);
}

async function main() {
  const db = await benchDatabase('scale');
  const { connection } = db;
  const server = await benchServer(connection);
  const accounts = accountsServiceFor(connection, loadConfig({ NODE_ENV: 'test' }).passwordHashing);
  const signUp = (role: 'learner' | 'trainer') => async (email: string) => {
    const made = await accounts.createUser({ role, name: `Bench ${email}`, email, password: PASSWORD, language: 'en' });
    if (!made.ok) throw new Error(`could not create ${email}`);
  };
  const results: Record<number, { pages: Record<Page, number>; cohort30: number; cohort5000?: number; docs: number }> = {};

  for (const size of SIZES) {
    await connection.dropDatabase();
    await ensureIndexes(connection);
    const content = createContentService({ connection });
    await content.seedFromFolder(modulesDir);
    const modules = await content.modules();

    let started = Date.now();
    const userIds: string[] = [];
    const docs = await generateCohort(connection, { size, cohortId: 'bench-platform', modules, certificates: true, userIds });
    console.log(`${size} learners: ${docs} documents generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    started = Date.now();
    const pages = await learnerPages(server.url, signUp('learner'), modules[0]!, String(size));

    await signUp('trainer')(`trainer-${size}@bench.example.org`);
    const trainer = await login(server.url, `trainer-${size}@bench.example.org`, PASSWORD);
    // learners spread over the platform, not the first ones generated
    const spread = (n: number) => Array.from({ length: n }, (_, i) => userIds[Math.floor((i * userIds.length) / n)]!);
    const small = await cohortOf(server.url, trainer, connection, 'Thirty', spread(30));
    const cohort30 = await cohortPage(server.url, trainer, small, 30, 5);
    let cohort5000: number | undefined;
    if (size >= 5000) {
      const large = await cohortOf(server.url, trainer, connection, 'Five thousand', spread(5000));
      cohort5000 = await cohortPage(server.url, trainer, large, 5000, 3);
    }
    results[size] = { pages, cohort30, cohort5000, docs };
    const shown = PAGES.map((p) => `${p} ${pages[p].toFixed(1)} ms`).join(', ');
    console.log(`${size} learners: ${shown}; 30-learner cohort page ${cohort30.toFixed(0)} ms${cohort5000 ? `; 5,000-learner cohort page ${cohort5000.toFixed(0)} ms` : ''} (measured in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }

  const [small, large] = [SIZES[0]!, SIZES[SIZES.length - 1]!];
  console.log(`\nmedians, ${RUNS} runs each; ratio = at ${large} learners ÷ at ${small} (goal ≤ 1.5)`);
  for (const p of PAGES) {
    const a = results[small]!.pages[p];
    const b = results[large]!.pages[p];
    console.log(`  ${p.padEnd(16)} ${a.toFixed(1).padStart(8)} ms ${b.toFixed(1).padStart(8)} ms   ratio ${ratio(b, a)}`);
  }
  console.log(`  dashboard at ${large} learners: ${results[large]!.pages.dashboard.toFixed(1)} ms (goal ≤ 50 ms on an idle machine)`);
  const c30 = results[large]!.cohort30;
  console.log(`  30-learner cohort page: ${results[small]!.cohort30.toFixed(0)} ms at ${small}, ${c30.toFixed(0)} ms at ${large} (goal ≤ 300 ms), ratio ${ratio(c30, results[small]!.cohort30)}`);
  const c5000 = results[large]!.cohort5000;
  if (c5000 !== undefined) console.log(`  5,000-learner cohort page at ${large}: ${c5000.toFixed(0)} ms (goal ≤ 3,000 ms)`);
  await server.close();
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
