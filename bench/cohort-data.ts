/**
 * Generated cohorts for the cohort benchmark: learners with realistic, varied progress, written with
 * insertMany in batches straight into the collections the learning feature owns (the same shape its
 * services insert).
 */
import { Types } from 'mongoose';
import type { Connection } from 'mongoose';
import type { PublishedModule } from '../src/features/content';

const BATCH = 5000;
const DAY = 24 * 3600 * 1000;
const LANGUAGES = ['en', 'es', 'fr'] as const;

/** A small deterministic generator, so every run inserts the same data. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Buffers documents per collection and writes them 5,000 at a time. */
function writer(connection: Connection) {
  const pending = new Map<string, object[]>();
  let written = 0;
  async function flush(name: string) {
    const docs = pending.get(name) ?? [];
    pending.set(name, []);
    if (docs.length === 0) return;
    await connection.collection(name).insertMany(docs as never[], { ordered: false });
    written += docs.length;
  }
  return {
    async add(name: string, doc: object) {
      const docs = pending.get(name) ?? [];
      docs.push(doc);
      pending.set(name, docs);
      if (docs.length >= BATCH) await flush(name);
    },
    async done() {
      for (const name of pending.keys()) await flush(name);
      return written;
    },
  };
}

/**
 * A cohort of `size` learners: 15 % enrolled only, 25 % part-way through module 1, 20 % one module
 * done, 20 % two, 20 % the whole course; quizzes sometimes failed before being passed.
 */
export async function generateCohort(
  connection: Connection,
  options: {
    size: number;
    cohortId: string;
    modules: PublishedModule[];
    /** also a certificate for each learner who completed the course */
    certificates?: boolean;
    /** receives each generated learner's id */
    userIds?: string[];
    /** makes the e-mails unique across several generated groups */
    prefix?: string;
  },
) {
  const { size, cohortId, modules } = options;
  const random = prng(size);
  const out = writer(connection);
  const now = Date.now();
  for (let i = 0; i < size; i++) {
    const userId = new Types.ObjectId();
    const id = String(userId);
    options.userIds?.push(id);
    const language = LANGUAGES[i % 3]!;
    const enrolledAt = new Date(now - (30 + random() * 60) * DAY);
    let clock = enrolledAt.getTime();
    const later = () => {
      clock += random() * 2 * DAY;
      return new Date(clock);
    };
    await out.add('users', {
      _id: userId,
      email: `learner-${options.prefix ?? ''}${i}@bench.example.org`,
      name: `Learner ${String(i).padStart(6, '0')}`,
      passwordHash: 'not-a-real-hash',
      role: 'learner',
      language,
      createdAt: enrolledAt,
      updatedAt: enrolledAt,
    });
    await out.add('cohort_members', { _id: `${cohortId}:${id}`, cohortId, userId: id, enrolledAt, via: 'list' });

    const p = random();
    const modulesDone = p < 0.4 ? 0 : p < 0.6 ? 1 : p < 0.8 ? 2 : 3;
    const started = p >= 0.15;
    for (const [m, module] of modules.entries()) {
      if (!started || m > modulesDone) break;
      const lessons = module.lessons.map((l) => l.id);
      const done = m < modulesDone ? lessons.length : Math.floor(random() * lessons.length);
      for (const lessonId of lessons.slice(0, done)) {
        await out.add('lesson_completions', { userId: id, moduleId: module.moduleId, lessonId, completedAt: later() });
      }
      if (m >= modulesDone) break;
      const failures = random() < 0.35 ? 1 + Math.floor(random() * 2) : 0;
      let passingAttempt: Types.ObjectId | undefined;
      for (let n = 1; n <= failures + 1; n++) {
        const attemptId = new Types.ObjectId();
        const drawn = module.quiz.questions.slice(0, module.quiz.questionsPerAttempt);
        const startedAt = later();
        await out.add('quiz_attempts', {
          _id: attemptId,
          userId: id,
          moduleId: module.moduleId,
          moduleVersion: module.version,
          number: n,
          questions: drawn.map((q) => ({ questionId: q.id, optionIds: q.options.map((o) => o.id) })),
          startedAt,
        });
        const passed = n === failures + 1;
        const correctCount = passed ? 7 + Math.floor(random() * 4) : Math.floor(random() * 7);
        await out.add('quiz_grades', {
          _id: attemptId,
          attemptId,
          userId: id,
          moduleId: module.moduleId,
          moduleVersion: module.version,
          attemptNumber: n,
          questions: drawn.map((q, k) => ({ questionId: q.id, chosen: [q.options[0]!.id], correct: k < correctCount })),
          correctCount,
          total: drawn.length,
          scorePercent: Math.round((correctCount / drawn.length) * 100),
          passPercent: module.quiz.passPercent,
          passed,
          gradedAt: new Date(startedAt.getTime() + 600_000),
        });
        if (passed) passingAttempt = attemptId;
      }
      await out.add('module_completions', {
        userId: id,
        moduleId: module.moduleId,
        moduleVersion: module.version,
        completedAt: later(),
        lessonIds: lessons,
        passingAttemptId: passingAttempt,
      });
    }
    if (modulesDone === modules.length) {
      const completedAt = later();
      await out.add('course_completions', { userId: id, moduleIds: modules.map((m) => m.moduleId), completedAt });
      if (options.certificates) {
        // the fields reports read; a real certificate also carries its frozen facts and credential
        const code = `BENCH${id.toUpperCase()}`;
        await out.add('certificates', { _id: code, slotId: `${id}:localizing-the-sdgs:1`, userId: id, generation: 1, issuedAt: completedAt, completedAt });
      }
    }
  }
  return out.done();
}
