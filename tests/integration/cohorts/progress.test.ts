import { parse } from 'csv-parse/sync';
import type { Connection } from 'mongoose';
import { createContentService, type PublishedModule } from '../../../src/features/content';
import { csrfFrom, decoded } from '../../helpers/build-app';
import { completeLesson, createCohort, enrolDirectly, figure, joinWith, matrixCells, takeQuiz } from '../../helpers/cohorts';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { type SignedIn, signedInAgent } from '../../helpers/learner';

/*
 * Learners go through lessons and quizzes over HTTP, as people do; the trainer's pages and the CSV
 * must then show exactly what they did.
 */

let connection: Connection;
let trainer: SignedIn;
let cohortId: string;
let modules: PublishedModule[];
let ana: SignedIn; // es: 3 lessons of module 1, failed its quiz twice (30 %, 50 %)
let bruno: SignedIn; // fr: module 1 complete (100 %), 1 lesson of module 2
let chen: SignedIn; // en: enrolled from a list, did nothing
let dora: SignedIn; // en: enrolled 20 days ago, did nothing since

const lessonsOf = (moduleId: string) => modules.find((m) => m.moduleId === moduleId)!.lessons.map((l) => l.id);
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  connection = await connectTestDatabase('_cohort_progress', { monitorCommands: true });
  await seedCourse(connection);
  modules = await createContentService({ connection }).modules();
  trainer = await signedInAgent(connection, { role: 'trainer', language: 'es', name: 'Teresa Formadora' });
  const created = await createCohort(trainer.agent, { name: 'Cohorte de Quito' });
  cohortId = created.id;

  ana = await signedInAgent(connection, { language: 'es', name: 'Ana Pérez' });
  bruno = await signedInAgent(connection, { language: 'fr', name: 'Bruno Lefèvre' });
  chen = await signedInAgent(connection, { language: 'en', name: 'Chen Wei' });
  dora = await signedInAgent(connection, { language: 'en', name: '=Dora Okafor' });
  for (const l of [ana, bruno]) expect((await joinWith(l.agent, created.code)).status).toBe(303);

  const intro = lessonsOf('introduction');
  for (const lesson of intro.slice(0, 3)) await completeLesson(ana, 'introduction', lesson);
  await takeQuiz(connection, ana, 'introduction', 3);
  await takeQuiz(connection, ana, 'introduction', 5);

  for (const lesson of intro) await completeLesson(bruno, 'introduction', lesson);
  await takeQuiz(connection, bruno, 'introduction', 10);
  await completeLesson(bruno, 'territorial-planning', lessonsOf('territorial-planning')[0]!);

  const page = await trainer.agent.get(`/trainer/cohorts/${cohortId}/manage`);
  const enrolled = await trainer.agent
    .post(`/trainer/cohorts/${cohortId}/enrol`)
    .field('_csrf', csrfFrom(page.text))
    .field('emails', `${chen.email}\n${dora.email}`);
  expect(enrolled.status).toBe(200);
  // Dora enrolled three weeks ago and has not been back since
  await connection.collection('cohort_members').updateOne({ cohortId, userId: dora.userId }, { $set: { enrolledAt: new Date(Date.now() - 20 * DAY) } });
});
afterAll(async () => {
  await connection.close();
});

describe('the cohort page', () => {
  it('when learners have worked, then each matrix cell equals what the learner did', async () => {
    const res = await trainer.agent.get(`/trainer/cohorts/${cohortId}`);
    expect(res.status).toBe(200);
    const cells = matrixCells(res.text);
    expect(cells.get(ana.userId)?.get('introduction')).toEqual({ lessonsDone: 3, lessonsTotal: 6, bestScore: 50, attempts: 2, status: 'inProgress' });
    expect(cells.get(ana.userId)?.get('territorial-planning')).toEqual({ lessonsDone: 0, lessonsTotal: 6, bestScore: undefined, attempts: 0, status: 'notStarted' });
    expect(cells.get(bruno.userId)?.get('introduction')).toEqual({ lessonsDone: 6, lessonsTotal: 6, bestScore: 100, attempts: 1, status: 'completed' });
    expect(cells.get(bruno.userId)?.get('territorial-planning')).toMatchObject({ lessonsDone: 1, attempts: 0, status: 'inProgress' });
    expect(cells.get(chen.userId)?.get('reporting')).toMatchObject({ lessonsDone: 0, attempts: 0, status: 'notStarted' });
    expect([...cells.keys()].sort()).toEqual([ana, bruno, chen, dora].map((l) => l.userId).sort());
  });

  it('when learners have worked, then the headline figures, funnel and score charts count them', async () => {
    const res = await trainer.agent.get(`/trainer/cohorts/${cohortId}`);
    expect(figure(res.text, 'enrolled')).toBe(4);
    expect(figure(res.text, 'started')).toBe(2);
    expect(figure(res.text, 'completed-introduction')).toBe(1);
    expect(figure(res.text, 'completed-territorial-planning')).toBe(0);
    expect(figure(res.text, 'certificates')).toBe(0);
    expect(res.text).toMatch(/<svg[^>]+role="img" aria-labelledby="funnel-title funnel-desc"/);
    // the score chart's text alternative: two learners scored, one reached the pass mark
    expect(decoded(res.text)).toContain('2 participantes tienen una puntuación; 1 de ellos alcanzaron la nota mínima del 70 %.');
    expect(res.text).not.toMatch(/<script/);
  });

  it('when the table is filtered, sorted and paged through the query string, then it shows the right learners', async () => {
    const base = `/trainer/cohorts/${cohortId}`;
    const ids = async (query: string) => [...matrixCells((await trainer.agent.get(`${base}?${query}`)).text).keys()];
    expect(await ids('status=notStarted')).toEqual(expect.arrayContaining([chen.userId, dora.userId]));
    expect(await ids('status=notStarted')).toHaveLength(2);
    expect(await ids('inactive=14')).toEqual([dora.userId]);
    expect((await ids('sort=progress&dir=desc'))[0]).toBe(bruno.userId);
    expect(await ids('q=lef%C3%A8vre')).toEqual([bruno.userId]);
    expect(await ids('status=bogus&page=-3&sort=%24where')).toHaveLength(4);
  });
});

describe('the at-risk view', () => {
  it('when a learner failed a quiz twice and another has been inactive for 14 days, then both are listed with a mailto link', async () => {
    const res = await trainer.agent.get(`/trainer/cohorts/${cohortId}/at-risk`);
    expect(res.status).toBe(200);
    const listed = [...res.text.matchAll(/<tr data-user-id="([0-9a-f]{24})">/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual([ana.userId, dora.userId].sort());
    const text = decoded(res.text);
    expect(text).toMatch(/Cuestionario de «[^»]+» suspendido 2 veces/);
    expect(text).toContain('Sin actividad desde hace 20 días');
    expect(res.text).toContain(`href="mailto:${ana.email}?subject=`);
  });
});

describe('per-question statistics', () => {
  it('when learners answered the quiz in two languages, then each question counts their answers by language', async () => {
    const res = await trainer.agent.get(`/trainer/cohorts/${cohortId}/questions`);
    expect(res.status).toBe(200);
    const section = /id="questions-introduction"[\s\S]*?<\/section>/.exec(res.text)![0];
    const rows = [...section.matchAll(/data-answered="(\d+)" data-correct="(\d+)">([\s\S]*?)<\/tr>/g)];
    const sum = (f: (r: RegExpMatchArray) => number) => rows.reduce((n, r) => n + f(r), 0);
    expect(sum((r) => Number(r[1]))).toBe(30); // 3 attempts of 10 questions
    expect(sum((r) => Number(r[2]))).toBe(3 + 5 + 10);
    const byLanguage = (lng: string, what: 'answered' | 'correct') =>
      sum((r) => Number(new RegExp(`data-language="${lng}" data-answered="(\\d+)" data-correct="(\\d+)"`).exec(r[3]!)![what === 'answered' ? 1 : 2]));
    expect(byLanguage('es', 'answered')).toBe(20);
    expect(byLanguage('es', 'correct')).toBe(8);
    expect(byLanguage('fr', 'answered')).toBe(10);
    expect(byLanguage('fr', 'correct')).toBe(10);
    expect(byLanguage('en', 'answered')).toBe(0);
  });
});

describe('the learner drill-down', () => {
  it('when a learner is opened, then their timeline lists every record in order', async () => {
    const res = await trainer.agent.get(`/trainer/cohorts/${cohortId}/learners/${ana.userId}`);
    expect(res.status).toBe(200);
    const kinds = [...res.text.matchAll(/data-event="(\w+)"/g)].map((m) => m[1]);
    expect(kinds).toEqual(['enrolled', 'lessonCompleted', 'lessonCompleted', 'lessonCompleted', 'quizStarted', 'quizGraded', 'quizStarted', 'quizGraded']);
    expect(decoded(res.text)).toContain(': 30 %, no aprobado');
  });

  it('when the learner is not in this cohort, then it is not found', async () => {
    const stranger = await signedInAgent(connection);
    expect((await trainer.agent.get(`/trainer/cohorts/${cohortId}/learners/${stranger.userId}`)).status).toBe(404);
    expect((await trainer.agent.get(`/trainer/cohorts/${cohortId}/learners/not-an-id`)).status).toBe(404);
  });
});

describe('the CSV export', () => {
  it('when exported, then the file is UTF-8 with a BOM, headed in the trainer language, and parses back to the matrix figures', async () => {
    const res = await trainer.agent.get(`/trainer/cohorts/${cohortId}/export.csv`).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records: Record<string, string>[] = parse(bytes, { bom: true, columns: true });
    const intro = modules.find((m) => m.moduleId === 'introduction')!.title.es;
    expect(Object.keys(records[0]!)).toEqual(expect.arrayContaining(['Nombre', 'Correo electrónico', `${intro}: lecciones hechas (de 6)`, `${intro}: mejor puntuación (%)`]));

    const page = await trainer.agent.get(`/trainer/cohorts/${cohortId}`);
    const cells = matrixCells(page.text);
    expect(records).toHaveLength(cells.size);
    const byEmail = new Map(records.map((r) => [r['Correo electrónico'], r]));
    for (const learner of [ana, bruno, chen, dora]) {
      const row = byEmail.get(learner.email)!;
      for (const m of modules) {
        const cell = cells.get(learner.userId)!.get(m.moduleId)!;
        const title = m.title.es;
        expect(Number(row[`${title}: lecciones hechas (de ${m.lessons.length})`])).toBe(cell.lessonsDone);
        expect(row[`${title}: mejor puntuación (%)`]).toBe(cell.bestScore === undefined ? '' : String(cell.bestScore));
        expect(Number(row[`${title}: intentos`])).toBe(cell.attempts);
      }
    }
    expect(byEmail.get(bruno.email)!.Nombre).toBe('Bruno Lefèvre');
    // a name that a spreadsheet would run as a formula is neutralised
    expect(byEmail.get(dora.email)!.Nombre).toBe("'=Dora Okafor");
    expect(await connection.collection('audit_events').findOne({ action: 'cohort.exported' })).not.toBeNull();
  });
});

describe('queries per page', () => {
  it('when the cohort grows, then the page sends the same number of queries', async () => {
    const client = connection.getClient();
    let queries = 0;
    // the session store and the content cache (re-read every few seconds) are not the page's own queries
    const ignored = new Set(['sessions', 'module_releases', 'module_versions', 'glossary']);
    const count = (e: { commandName: string; command: Record<string, unknown> }) => {
      if (['find', 'aggregate', 'count', 'getMore'].includes(e.commandName) && !ignored.has(String(e.command[e.commandName]))) queries++;
    };
    client.on('commandStarted', count);
    const measure = async () => {
      queries = 0;
      expect((await trainer.agent.get(`/trainer/cohorts/${cohortId}`)).status).toBe(200);
      return queries;
    };
    const small = await measure();
    const more = Array.from({ length: 30 }, (_, i) => ({ email: `extra-${i}-${cohortId}@example.org`, name: `Extra ${i}`, role: 'learner', language: 'en', passwordHash: 'x', createdAt: new Date(), updatedAt: new Date() }));
    const { insertedIds } = await connection.collection('users').insertMany(more);
    await connection.collection('cohort_members').insertMany(
      Object.values(insertedIds).map((id) => ({ _id: `${cohortId}:${id}`, cohortId, userId: String(id), enrolledAt: new Date(), via: 'list' })) as never[],
    );
    const large = await measure();
    client.off('commandStarted', count);
    expect(large).toBe(small);
  });
});

describe('a cohort larger than one chunk of learners', () => {
  it('when a cohort has more than 1,000 learners, then each collection is read a chunk of learners at a time and only its learners are counted', async () => {
    const big = await createCohort(trainer.agent, { name: 'Big cohort' });
    const users = await enrolDirectly(connection, big.id, 1001, (i) => ({ email: `big-${i}-${big.id}@example.org`, name: `Big ${String(i).padStart(4, '0')}` }));
    const last = String(users[1000]!._id);
    const lessons = lessonsOf('reporting').slice(0, 2);
    await connection
      .collection('lesson_completions')
      .insertMany(lessons.map((lessonId) => ({ userId: last, moduleId: 'reporting', lessonId, completedAt: new Date() })));
    const res = await trainer.agent.get(`/trainer/cohorts/${big.id}?q=big%201000`);
    expect(res.status).toBe(200);
    expect(figure(res.text, 'enrolled')).toBe(1001);
    // Ana and Bruno (in the other cohort) worked; here only the last learner did
    expect(figure(res.text, 'started')).toBe(1);
    expect(matrixCells(res.text).get(last)?.get('reporting')).toMatchObject({ lessonsDone: 2, status: 'inProgress' });
    const second = await trainer.agent.get(`/trainer/cohorts/${big.id}?page=2`);
    const names = [...second.text.matchAll(/>Big (\d{4})<\/a>/g)].map((m) => m[1]);
    expect(names).toHaveLength(50);
    expect(names[0]).toBe('0050');
    expect(second.text).toContain(`href="/trainer/cohorts/${big.id}?page=3#learners" rel="next"`);
    const lastPage = await trainer.agent.get(`/trainer/cohorts/${big.id}?page=999`);
    expect(matrixCells(lastPage.text).size).toBe(1);
  });
});
