import { inChunks } from '../../platform/database';
import type {
  CourseCompletionDoc,
  LearningModels,
  LessonCompletionDoc,
  ModuleCompletionDoc,
  QuizAttemptDoc,
  QuizGradeDoc,
} from './learning.model';

/*
 * The learning records of one learner or of a set of learners, and the one fold that turns them
 * into progress. The learner's pages and the trainers' reports both read through here, so a rule
 * ("a module is in progress when…") exists once, and every query filters on `userId`, the leading
 * field of each collection's index.
 */

/** `worksheetDue`: lessons done and quiz passed, but the worksheet the module requires is not finished */
export type ModuleStatus = 'notStarted' | 'inProgress' | 'lessonsDone' | 'worksheetDue' | 'completed';

export type AttemptRecord = Pick<QuizAttemptDoc, '_id' | 'userId' | 'moduleId' | 'number' | 'startedAt'>;
export type GradeRecord = Omit<QuizGradeDoc, 'questions'>;
export type GradedAnswers = Pick<QuizGradeDoc, 'userId' | 'moduleId' | 'questions'>;

/** A worksheet the learner marked finished (the first time): the plans feature's record, as learning reads it. */
export type WorksheetFinish = { userId: string; moduleId: string; finishedAt: Date };

/**
 * Where finished worksheets are read from: the plans feature owns them and exports these read
 * functions (plans/plan-records.ts); the composition root hands them to learning.
 */
export type FinishedWorksheetsReader = {
  finishedOf(userId: string, moduleId?: string): Promise<WorksheetFinish[]>;
  finishedOfLearners(userIds: readonly string[]): Promise<WorksheetFinish[]>;
};

export type LearnerRecords = {
  lessons: LessonCompletionDoc[];
  attempts: AttemptRecord[];
  /** oldest first */
  grades: GradeRecord[];
  moduleCompletions: ModuleCompletionDoc[];
  courseCompletion: CourseCompletionDoc | undefined;
  /** finished worksheets: read only when a module requires one (empty otherwise) */
  worksheets: WorksheetFinish[];
};

/** A module as the fold needs it: its lessons in reading order, and whether it requires its worksheet finished. */
export type ModuleShape = { moduleId: string; lessonIds: readonly string[]; worksheetRequired?: boolean };

/** Whether any of these modules requires a finished worksheet: only then are worksheets read. */
export const needsWorksheets = (modules: readonly ModuleShape[]) => modules.some((m) => m.worksheetRequired === true);

export type ModuleProgress = {
  moduleId: string;
  lessonsTotal: number;
  lessonsDone: number;
  /** lesson id → when the learner marked it complete */
  completedLessons: Map<string, Date>;
  /** quiz attempts drawn, graded or not */
  attempts: number;
  /** graded attempts that did not pass */
  failed: number;
  bestScore: number | undefined;
  /** the first graded attempt that passed */
  passingGrade: GradeRecord | undefined;
  completion: ModuleCompletionDoc | undefined;
  /** the module requires its worksheet finished (module.yaml `completion: { worksheet: required }`) */
  worksheetRequired: boolean;
  /** when the learner first marked the required worksheet finished */
  worksheetFinishedAt: Date | undefined;
  status: ModuleStatus;
  /** the first lesson not yet complete, in reading order */
  resumeLessonId: string | undefined;
};

/**
 * The one rule for a module's status, shared by the learner's pages and the trainer's matrix.
 * `worksheetPending`: the quiz is passed but the worksheet the module requires is not finished.
 */
export function moduleStatus(p: {
  completed: boolean;
  lessonsDone: number;
  lessonsTotal: number;
  attempts: number;
  worksheetPending?: boolean;
}): ModuleStatus {
  if (p.completed) return 'completed';
  if (p.lessonsDone === p.lessonsTotal) return p.worksheetPending ? 'worksheetDue' : 'lessonsDone';
  return p.lessonsDone > 0 || p.attempts > 0 ? 'inProgress' : 'notStarted';
}

export const noRecords = (): LearnerRecords => ({
  lessons: [],
  attempts: [],
  grades: [],
  moduleCompletions: [],
  courseCompletion: undefined,
  worksheets: [],
});

/**
 * One learner's progress in one module. Progress is keyed by stable ids: completions of lessons a
 * new version dropped no longer count.
 */
export function foldModule(records: LearnerRecords, module: ModuleShape): ModuleProgress {
  const { moduleId } = module;
  const inModule = new Set(module.lessonIds);
  const completedLessons = new Map(
    records.lessons.filter((l) => l.moduleId === moduleId && inModule.has(l.lessonId)).map((l) => [l.lessonId, l.completedAt] as const),
  );
  const grades = records.grades.filter((g) => g.moduleId === moduleId);
  const attempts = records.attempts.filter((a) => a.moduleId === moduleId).length;
  const completion = records.moduleCompletions.find((c) => c.moduleId === moduleId);
  const lessonsDone = completedLessons.size;
  const passingGrade = grades.find((g) => g.passed);
  const worksheetRequired = module.worksheetRequired === true;
  const worksheetFinishedAt = worksheetRequired ? records.worksheets.find((w) => w.moduleId === moduleId)?.finishedAt : undefined;
  const worksheetPending = worksheetRequired && passingGrade !== undefined && worksheetFinishedAt === undefined;
  return {
    moduleId,
    lessonsTotal: module.lessonIds.length,
    lessonsDone,
    completedLessons,
    attempts,
    failed: grades.filter((g) => !g.passed).length,
    bestScore: grades.length ? Math.max(...grades.map((g) => g.scorePercent)) : undefined,
    passingGrade,
    completion,
    worksheetRequired,
    worksheetFinishedAt,
    status: moduleStatus({ completed: Boolean(completion), lessonsDone, lessonsTotal: module.lessonIds.length, attempts, worksheetPending }),
    resumeLessonId: module.lessonIds.find((id) => !completedLessons.has(id)),
  };
}

/** When the learner last did anything the records show. */
export function lastActivity(records: LearnerRecords): Date | undefined {
  const dates = [
    ...records.lessons.map((l) => l.completedAt),
    ...records.attempts.map((a) => a.startedAt),
    ...records.grades.map((g) => g.gradedAt),
    ...records.moduleCompletions.map((c) => c.completedAt),
    ...records.worksheets.map((w) => w.finishedAt),
    records.courseCompletion?.completedAt,
  ];
  return dates.reduce<Date | undefined>((max, d) => (d instanceof Date && (!max || d > max) ? d : max), undefined);
}

const byGradedAt = (a: GradeRecord, b: GradeRecord) => a.gradedAt.getTime() - b.gradedAt.getTime();
/** Attempts and grades without the drawn questions and answers, which only the quiz pages need. */
const WITHOUT_QUESTIONS = { questions: 0 } as const;

/** What a read of records includes besides the learning collections. */
export type RecordsOptions = {
  /** read the finished worksheets too (one more query): pass `needsWorksheets(modules)` */
  worksheets?: boolean;
};

export function createLearnerRecords(models: LearningModels, finishedWorksheets: FinishedWorksheetsReader) {
  const { LessonCompletion, QuizAttempt, QuizGrade, ModuleCompletion, CourseCompletion } = models;

  return {
    /** One learner's records (in one module, if given): one query per collection. */
    async ofLearner(userId: string, moduleId?: string, options: RecordsOptions = {}): Promise<LearnerRecords> {
      const filter = moduleId ? { userId, moduleId } : { userId };
      const [lessons, attempts, grades, moduleCompletions, courseCompletion, worksheets] = await Promise.all([
        LessonCompletion.find(filter).lean<LessonCompletionDoc[]>(),
        QuizAttempt.find(filter, WITHOUT_QUESTIONS).lean<AttemptRecord[]>(),
        QuizGrade.find(filter, WITHOUT_QUESTIONS).lean<GradeRecord[]>(),
        ModuleCompletion.find(filter).lean<ModuleCompletionDoc[]>(),
        moduleId ? undefined : CourseCompletion.findOne({ userId }).lean<CourseCompletionDoc>(),
        options.worksheets ? finishedWorksheets.finishedOf(userId, moduleId) : [],
      ]);
      return {
        lessons,
        attempts,
        grades: grades.sort(byGradedAt),
        moduleCompletions,
        courseCompletion: courseCompletion ?? undefined,
        worksheets,
      };
    },

    /**
     * The records of a set of learners, by learner: one query per collection for each IN_CHUNK
     * learners, whatever the number of other learners on the platform.
     */
    async ofLearners(userIds: readonly string[], options: RecordsOptions = {}): Promise<Map<string, LearnerRecords>> {
      const byUser = new Map(userIds.map((id) => [id, noRecords()]));
      const filter = (ids: string[]) => ({ userId: { $in: ids } });
      const [lessons, attempts, grades, moduleCompletions, courseCompletions, worksheets] = await Promise.all([
        inChunks(userIds, (ids) => LessonCompletion.find(filter(ids)).lean<LessonCompletionDoc[]>()),
        inChunks(userIds, (ids) => QuizAttempt.find(filter(ids), WITHOUT_QUESTIONS).lean<AttemptRecord[]>()),
        inChunks(userIds, (ids) => QuizGrade.find(filter(ids), WITHOUT_QUESTIONS).lean<GradeRecord[]>()),
        inChunks(userIds, (ids) => ModuleCompletion.find(filter(ids)).lean<ModuleCompletionDoc[]>()),
        inChunks(userIds, (ids) => CourseCompletion.find(filter(ids)).lean<CourseCompletionDoc[]>()),
        options.worksheets ? finishedWorksheets.finishedOfLearners(userIds) : [],
      ]);
      for (const w of worksheets) byUser.get(w.userId)?.worksheets.push(w);
      for (const l of lessons) byUser.get(l.userId)?.lessons.push(l);
      for (const a of attempts) byUser.get(a.userId)?.attempts.push(a);
      for (const g of grades.sort(byGradedAt)) byUser.get(g.userId)?.grades.push(g);
      for (const c of moduleCompletions) byUser.get(c.userId)?.moduleCompletions.push(c);
      for (const c of courseCompletions) {
        const records = byUser.get(c.userId);
        if (records) records.courseCompletion = c;
      }
      return byUser;
    },

    /** The graded answers of a set of learners, for per-question figures. */
    gradedAnswersOf(userIds: readonly string[]): Promise<GradedAnswers[]> {
      return inChunks(userIds, (ids) =>
        QuizGrade.find({ userId: { $in: ids } }, { userId: 1, moduleId: 1, questions: 1 }).lean<GradedAnswers[]>(),
      );
    },

    /** When the learner completed one lesson, if they did: one lookup on the completion's unique key. */
    async lessonCompletedAt(userId: string, moduleId: string, lessonId: string): Promise<Date | undefined> {
      const found = await LessonCompletion.findOne({ userId, moduleId, lessonId }, { completedAt: 1 }).lean<LessonCompletionDoc>();
      return found?.completedAt;
    },
  };
}

export type LearnerRecordsReader = ReturnType<typeof createLearnerRecords>;
