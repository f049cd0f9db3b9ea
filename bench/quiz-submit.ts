/**
 * Quiz submissions per second through the whole stack (HTTP, session, CSRF, grading, insert-only
 * grade), divided by raw `insertOne` per second against the same database in the same run.
 * Absolute numbers vary from machine to machine; the ratio is what to compare.
 * The app runs inside this process, next to the load generator, as this benchmark always has;
 * BENCH_APP_PROCESS=1 starts it in a process of its own, as `npm start` runs it.
 *   npm run bench:quiz            (BENCH_SECONDS=10 by default)
 */
import autocannon from 'autocannon';
import { Types } from 'mongoose';
import { accountsServiceFor } from '../src/features/accounts';
import { createContentService } from '../src/features/content';
import { createAttemptTokens } from '../src/features/learning';
import { loadConfig } from '../src/config';
import { modulesDir } from '../src/platform/paths';
import { BENCH_SESSION_SECRET, benchDatabase, benchServer, cpuSeconds, ratio, spawnServer } from './helpers';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 10;

async function rawInserts(collection: import('mongodb').Collection, seconds: number): Promise<number> {
  let count = 0;
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < deadline) {
        await collection.insertOne({ attemptId: new Types.ObjectId(), userId: 'bench', scorePercent: 80, gradedAt: new Date() });
        count++;
      }
    }),
  );
  return count;
}

async function main() {
  const db = await benchDatabase('quiz');
  const { connection } = db;
  const content = createContentService({ connection });
  await content.seedFromFolder(modulesDir);
  const module = (await content.getModule('introduction'))!;

  const config = loadConfig({ NODE_ENV: 'test' });
  const accounts = accountsServiceFor(connection, config.passwordHashing);
  const password = 'bench password that is long enough';
  const created = await accounts.createUser({ role: 'learner', name: 'Bench', email: 'bench@example.org', password, language: 'en' });
  if (!created.ok) throw new Error('could not create the bench user');
  const userId = created.user.id;

  // Enough open attempts that every request grades a fresh one (answers half right, half wrong).
  // Each form carries its attempt's signed copy, as the quiz page renders it for a browser.
  const tokens = createAttemptTokens(BENCH_SESSION_SECRET);
  const total = Number(process.env.BENCH_ATTEMPTS ?? 20000);
  const bodies: string[] = [];
  const attempts = [];
  for (let n = 1; n <= total; n++) {
    const questions = module.quiz.questions.slice(0, module.quiz.questionsPerAttempt);
    const _id = new Types.ObjectId();
    const attempt = { _id, userId, moduleId: module.moduleId, moduleVersion: module.version, number: n,
      questions: questions.map((q) => ({ questionId: q.id, optionIds: q.options.map((o) => o.id) })) };
    attempts.push({ ...attempt, startedAt: new Date() });
    const params = new URLSearchParams({ attemptId: String(_id), attemptToken: tokens.make(attempt) });
    for (const q of questions) {
      const pick = n % 2 === 0 ? q.options.filter((o) => o.correct) : [q.options.find((o) => !o.correct)!];
      for (const o of pick) params.append(`q.${q.id}`, o.id);
    }
    bodies.push(params.toString());
  }
  for (let i = 0; i < attempts.length; i += 5000) await connection.collection('quiz_attempts').insertMany(attempts.slice(i, i + 5000));

  const inProcess = process.env.BENCH_APP_PROCESS !== '1';
  const server = inProcess
    ? await benchServer(connection).then((s) => ({ url: s.url, pid: undefined, stop: s.close }))
    : await spawnServer(connection);
  // Log in through the real form to get a session cookie and a CSRF token.
  const loginPage = await fetch(`${server.url}/login`);
  const cookie1 = loginPage.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token1 = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())![1]!;
  const login = await fetch(`${server.url}/login`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie1 },
    body: new URLSearchParams({ email: 'bench@example.org', password, _csrf: token1 }),
  });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') || cookie1;
  const quizPage = await fetch(`${server.url}/modules/introduction/quiz`, { headers: { cookie } });
  const token = /name="_csrf" value="([^"]+)"/.exec(await quizPage.text())?.[1];
  if (!token) throw new Error(`login failed (${login.status})`);

  // The machine is shared and its load drifts, so the two rates are measured in alternating short
  // rounds over the same span of time, not one after the other.
  const ROUNDS = 5;
  const roundSeconds = SECONDS / ROUNDS;
  let next = 0;
  let submitSeconds = 0;
  let insertCount = 0;
  let errors = 0;
  const statuses = new Map<number, number>();
  let submitCpu = 0;
  let insertCpu = 0;
  let submitServerCpu = 0;
  let insertServerCpu = 0;
  const databasePid = db.serverPid();
  for (let round = 0; round < ROUNDS; round++) {
    const cpu0 = cpuSeconds(databasePid, server.pid);
    const result = await autocannon({
      url: `${server.url}/modules/introduction/quiz`,
      connections: CONNECTIONS,
      duration: roundSeconds,
      requests: [{
        method: 'POST',
        setupRequest: (req) => ({
          ...req,
          // each submission from one of 1,000 addresses, as learners' are
          headers: {
            ...req.headers,
            cookie,
            'x-csrf-token': token,
            'content-type': 'application/x-www-form-urlencoded',
            'x-forwarded-for': `10.0.${(next >> 8) & 3}.${next & 255}`,
          },
          body: bodies[next++ % bodies.length],
        }),
      }],
    });
    submitSeconds += result.duration; // in seconds
    errors += result.errors + result.timeouts;
    for (const [code, n] of Object.entries(result.statusCodeStats ?? {})) statuses.set(Number(code), (statuses.get(Number(code)) ?? 0) + (n.count ?? 0));
    const cpu1 = cpuSeconds(databasePid, server.pid);
    insertCount += await rawInserts(connection.collection('bench_raw_inserts'), roundSeconds);
    const cpu2 = cpuSeconds(databasePid, server.pid);
    submitCpu += cpu1.total - cpu0.total;
    submitServerCpu += cpu1.others - cpu0.others;
    insertCpu += cpu2.total - cpu1.total;
    insertServerCpu += cpu2.others - cpu1.others;
  }
  await server.stop();
  // only graded submissions count: a 409 for an attempt sent twice would flatter the figure
  const graded = await connection.collection('quiz_grades').countDocuments();
  const submits = graded / submitSeconds;
  const inserts = insertCount / SECONDS;
  const other = [...statuses].filter(([code]) => code !== 303).map(([code, n]) => `${n}×${code}`).join(', ') || 'none';
  console.log(`quiz submissions: ${submits.toFixed(1)}/s (${graded} graded in ${submitSeconds.toFixed(1)} s, errors ${errors}, other statuses ${other})`);
  console.log(`raw insertOne:    ${inserts.toFixed(1)}/s`);
  console.log(`ratio submissions/insertOne: ${ratio(submits, inserts)}`);
  console.log(`app: ${inProcess ? 'in this process' : 'in its own process'}`);
  if (databasePid) {
    // CPU of every process involved (this one, which makes the load; the app; the database server)
    // per operation: steadier than the rates on a busy machine, and what bounds them on an idle one
    const perSubmit = (submitCpu / graded) * 1000;
    const perInsert = (insertCpu / insertCount) * 1000;
    const ms = (seconds: number, n: number) => ((seconds / n) * 1000).toFixed(2);
    console.log(`CPU per submission ${perSubmit.toFixed(2)} ms (app and database servers ${ms(submitServerCpu, graded)} ms), per insertOne ${perInsert.toFixed(2)} ms (database server ${ms(insertServerCpu, insertCount)} ms)`);
    console.log(`ratio of CPU costs insertOne/submission: ${ratio(perInsert, perSubmit)}`);
  }
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
