import { type Collection, type Document, ObjectId } from 'mongodb';
import type { Language } from '../../platform/i18n';
import { type ModuleStatus, moduleStatus } from '../learning';
import { IN_LIMIT } from './cohort-queries';
import { type DocCursor, SortedRuns } from './sorted-runs';

/** One learner's figures for one published module, counted as the learner's own pages count them. */
export type ModuleCell = {
  moduleId: string;
  lessonsDone: number;
  lessonsTotal: number;
  /** quiz attempts drawn, graded or not */
  attempts: number;
  /** graded attempts that did not pass */
  failed: number;
  /** whether any graded attempt passed */
  passed: boolean;
  bestScore?: number;
  status: ModuleStatus;
};

export type OverallStatus = 'notStarted' | 'inProgress' | 'completed';

export type LearnerRow = {
  userId: string;
  name: string;
  email: string;
  language: Language;
  enrolledAt: Date;
  modules: ModuleCell[];
  overall: OverallStatus;
  lastActivity?: Date;
  courseCompletedAt?: Date;
  /** when the learner's valid certificate was issued (or the course completed, see `certificates`) */
  certificateAt?: Date;
};

export type ModuleInfo = { moduleId: string; lessonIds: ReadonlySet<string> };

export type ProgressCollections = {
  members: Collection;
  users: Collection;
  lessons: Collection;
  attempts: Collection;
  grades: Collection;
  moduleCompletions: Collection;
  courseCompletions: Collection;
  /**
   * The certificates feature's records, when its collection exists (otherwise a course completion
   * stands for a certificate), with the codes of revoked certificates.
   */
  certificates?: { collection: Collection; revoked: ReadonlySet<string> };
};

type Doc = Document & { userId: string };
const BATCH = 1000;

const dateOf = (d: unknown) => (d instanceof Date ? d : undefined);
const latest = (dates: (Date | undefined)[]) =>
  dates.reduce<Date | undefined>((max, d) => (d && (!max || d > max) ? d : max), undefined);

/**
 * The learner's valid certificate: their latest generation (a re-issue supersedes the ones before),
 * unless it was revoked.
 */
export function validCertificate(certificates: readonly Document[], revoked: ReadonlySet<string>): Document | undefined {
  const latest = certificates.reduce<Document | undefined>((a, c) => (!a || c.generation > a.generation ? c : a), undefined);
  return latest && !revoked.has(String(latest._id)) ? latest : undefined;
}

/** Folds one learner's records into the row the trainer sees (the same rules as progress.service). */
export function foldLearner(input: {
  member: Doc;
  user: Document | undefined;
  modules: readonly ModuleInfo[];
  lessons: Doc[];
  attempts: Doc[];
  grades: Doc[];
  moduleCompletions: Doc[];
  courseCompletions: Doc[];
  /** undefined while there is no certificates collection */
  certificates: { docs: Doc[]; revoked: ReadonlySet<string> } | undefined;
}): LearnerRow {
  const { member, user, lessons, attempts, grades, moduleCompletions } = input;
  const cells = input.modules.map((m): ModuleCell => {
    const lessonsDone = new Set(lessons.filter((l) => l.moduleId === m.moduleId && m.lessonIds.has(l.lessonId)).map((l) => l.lessonId)).size;
    const tries = attempts.filter((a) => a.moduleId === m.moduleId).length;
    const graded = grades.filter((g) => g.moduleId === m.moduleId);
    const scores = graded.map((g) => g.scorePercent as number);
    const done = moduleCompletions.some((c) => c.moduleId === m.moduleId);
    const status = moduleStatus({ completed: done, lessonsDone, lessonsTotal: m.lessonIds.size, attempts: tries });
    return {
      moduleId: m.moduleId,
      lessonsDone,
      lessonsTotal: m.lessonIds.size,
      attempts: tries,
      failed: graded.filter((g) => !g.passed).length,
      passed: graded.some((g) => g.passed === true),
      bestScore: scores.length > 0 ? Math.max(...scores) : undefined,
      status,
    };
  });
  const courseCompletedAt = dateOf(input.courseCompletions[0]?.completedAt);
  const certificate = input.certificates ? validCertificate(input.certificates.docs, input.certificates.revoked) : input.courseCompletions[0];
  const lastActivity = latest([
    ...lessons.map((l) => dateOf(l.completedAt)),
    ...attempts.map((a) => dateOf(a.startedAt)),
    ...grades.map((g) => dateOf(g.gradedAt)),
    ...moduleCompletions.map((c) => dateOf(c.completedAt)),
    courseCompletedAt,
  ]);
  const started = lessons.length > 0 || attempts.length > 0;
  return {
    userId: member.userId,
    name: user?.name ?? '',
    email: user?.email ?? '',
    language: user?.language ?? 'en',
    enrolledAt: member.enrolledAt,
    modules: cells,
    overall: courseCompletedAt ? 'completed' : started ? 'inProgress' : 'notStarted',
    lastActivity,
    courseCompletedAt,
    certificateAt: certificate ? dateOf(certificate.issuedAt ?? certificate.completedAt) : undefined,
  };
}

/** The cohort's first IN_LIMIT + 1 members, then the rest of the same cursor: small cohorts are known in full. */
async function openMembers(members: Collection, cohortId: string) {
  const cursor = members.find<Doc>({ cohortId }, { projection: { userId: 1, enrolledAt: 1 } }).sort({ userId: 1 }).batchSize(BATCH);
  const head: Doc[] = [];
  while (head.length <= IN_LIMIT) {
    const doc = await cursor.next();
    if (!doc) break;
    head.push(doc);
  }
  const small = head.length <= IN_LIMIT;
  let i = 0;
  const merged: DocCursor<Doc> = {
    next: async () => (i < head.length ? head[i++]! : small ? null : cursor.next()),
    close: () => cursor.close(),
  };
  return { cursor: merged, ids: small ? head.map((m) => m.userId) : undefined };
}

/**
 * Every learner of the cohort with their figures, in user-id order, streamed: one sorted query per
 * collection, merged learner by learner, so memory does not grow with the cohort (the CSV export
 * relies on it) and the number of queries does not either.
 */
export async function* learnerRows(sources: ProgressCollections, cohortId: string, modules: readonly ModuleInfo[]): AsyncGenerator<LearnerRow> {
  const members = await openMembers(sources.members, cohortId);
  const ids = members.ids;
  const byUser = ids ? { userId: { $in: ids } } : {};
  const open = (c: Collection, projection: Document) =>
    new SortedRuns<Doc>(c.find<Doc>(byUser, { projection }).sort({ userId: 1 }).batchSize(BATCH), (d) => d.userId);
  const users = new SortedRuns<Document>(
    sources.users
      .find(ids ? { _id: { $in: ids.map((id) => new ObjectId(id)) } } : {}, { projection: { name: 1, email: 1, language: 1 } })
      .sort({ _id: 1 })
      .batchSize(BATCH),
    (u) => String(u._id),
  );
  const runs = {
    lessons: open(sources.lessons, { userId: 1, moduleId: 1, lessonId: 1, completedAt: 1 }),
    attempts: open(sources.attempts, { userId: 1, moduleId: 1, startedAt: 1 }),
    grades: open(sources.grades, { userId: 1, moduleId: 1, scorePercent: 1, passed: 1, gradedAt: 1 }),
    moduleCompletions: open(sources.moduleCompletions, { userId: 1, moduleId: 1, completedAt: 1 }),
    courseCompletions: open(sources.courseCompletions, { userId: 1, completedAt: 1 }),
    certificates: sources.certificates ? open(sources.certificates.collection, { userId: 1, generation: 1, issuedAt: 1 }) : undefined,
  };
  const all = [members.cursor, users, ...Object.values(runs).filter((r) => r !== undefined)];
  try {
    await Promise.all([users, ...Object.values(runs)].map((r) => r?.prime()));
    for (let member = await members.cursor.next(); member; member = await members.cursor.next()) {
      const key = member.userId;
      yield foldLearner({
        member,
        user: (await users.take(key))[0],
        modules,
        lessons: await runs.lessons.take(key),
        attempts: await runs.attempts.take(key),
        grades: await runs.grades.take(key),
        moduleCompletions: await runs.moduleCompletions.take(key),
        courseCompletions: await runs.courseCompletions.take(key),
        certificates: runs.certificates && sources.certificates
          ? { docs: await runs.certificates.take(key), revoked: sources.certificates.revoked }
          : undefined,
      });
    }
  } finally {
    await Promise.all(all.map((c) => c.close().catch(() => {})));
  }
}

/**
 * Every learner's row at once, for the pages, which sort and count all of them anyway: one unsorted
 * query per collection, all at the same time, each document put with its learner. Unsorted, because
 * FerretDB sorts in memory and a sorted 50,000-learner scan took 93–149 s where an unsorted one took
 * 69–77 s (measured); the export keeps the sorted merge above, which needs no memory per learner.
 */
export async function collectLearnerRows(sources: ProgressCollections, cohortId: string, modules: readonly ModuleInfo[]): Promise<LearnerRow[]> {
  const members = await sources.members.find<Doc>({ cohortId }, { projection: { userId: 1, enrolledAt: 1 } }).toArray();
  const ids = members.length <= IN_LIMIT ? members.map((m) => m.userId) : undefined;
  const byUser = ids ? { userId: { $in: ids } } : {};
  type Bucket = { user?: Document; lessons: Doc[]; attempts: Doc[]; grades: Doc[]; moduleCompletions: Doc[]; courseCompletions: Doc[]; certificates: Doc[] };
  type Listed = Exclude<keyof Bucket, 'user'>;
  const buckets = new Map<string, Bucket>(
    members.map((m) => [m.userId, { lessons: [], attempts: [], grades: [], moduleCompletions: [], courseCompletions: [], certificates: [] }]),
  );
  const fill = async (c: Collection, projection: Document, into: Listed) => {
    for await (const doc of c.find<Doc>(byUser, { projection }).batchSize(BATCH)) buckets.get(doc.userId)?.[into].push(doc);
  };
  const users = async () => {
    const filter = ids ? { _id: { $in: ids.map((id) => new ObjectId(id)) } } : {};
    for await (const u of sources.users.find(filter, { projection: { name: 1, email: 1, language: 1 } }).batchSize(BATCH)) {
      const bucket = buckets.get(String(u._id));
      if (bucket) bucket.user = u;
    }
  };
  await Promise.all([
    users(),
    fill(sources.lessons, { userId: 1, moduleId: 1, lessonId: 1, completedAt: 1 }, 'lessons'),
    fill(sources.attempts, { userId: 1, moduleId: 1, startedAt: 1 }, 'attempts'),
    fill(sources.grades, { userId: 1, moduleId: 1, scorePercent: 1, passed: 1, gradedAt: 1 }, 'grades'),
    fill(sources.moduleCompletions, { userId: 1, moduleId: 1, completedAt: 1 }, 'moduleCompletions'),
    fill(sources.courseCompletions, { userId: 1, completedAt: 1 }, 'courseCompletions'),
    sources.certificates ? fill(sources.certificates.collection, { userId: 1, generation: 1, issuedAt: 1 }, 'certificates') : undefined,
  ]);
  return members.map((member) => {
    const b = buckets.get(member.userId)!;
    const certificates = sources.certificates ? { docs: b.certificates, revoked: sources.certificates.revoked } : undefined;
    return foldLearner({ member, modules, ...b, user: b.user, certificates });
  });
}
