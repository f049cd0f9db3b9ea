import { NotFoundError } from '../../platform/errors';
import type { ContentService, PublishedModule } from '../content';
import type { LearningEvents } from './learning.events';
import { isDuplicateKey, type LearningModels, type ModuleCompletionDoc, type QuizGradeDoc } from './learning.models';

export type ModuleStatus = 'notStarted' | 'inProgress' | 'lessonsDone' | 'completed';

/** The one rule for a module's status, shared by the learner's pages and the trainer's matrix. */
export function moduleStatus(p: { completed: boolean; lessonsDone: number; lessonsTotal: number; attempts: number }): ModuleStatus {
  if (p.completed) return 'completed';
  if (p.lessonsDone === p.lessonsTotal) return 'lessonsDone';
  return p.lessonsDone > 0 || p.attempts > 0 ? 'inProgress' : 'notStarted';
}

export type ModuleProgress = {
  moduleId: string;
  lessonsTotal: number;
  lessonsDone: number;
  /** lesson id → when the learner marked it complete */
  completedLessons: Map<string, Date>;
  attempts: number;
  bestScore: number | undefined;
  passingGrade: QuizGradeDoc | undefined;
  completion: ModuleCompletionDoc | undefined;
  status: ModuleStatus;
  /** the first lesson not yet complete, in reading order */
  resumeLessonId: string | undefined;
};

export function createProgressService(deps: {
  models: LearningModels;
  content: ContentService;
  events: LearningEvents;
  clock?: () => Date;
}) {
  const { models, content, events } = deps;
  const clock = deps.clock ?? (() => new Date());

  async function insertIgnoringDuplicate(insert: () => Promise<unknown>): Promise<boolean> {
    try {
      await insert();
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** The course is complete when every published module is: record it once and announce it. */
  async function checkCourseCompletion(userId: string) {
    const modules = await content.modules();
    if (modules.length === 0) return;
    const done = new Set((await models.ModuleCompletion.find({ userId }, { moduleId: 1 }).lean()).map((c) => c.moduleId));
    if (!modules.every((m) => done.has(m.moduleId))) return;
    const completedAt = clock();
    const moduleIds = modules.map((m) => m.moduleId);
    if (await insertIgnoringDuplicate(() => models.CourseCompletion.create({ userId, moduleIds, completedAt }))) {
      events.emitCourseCompleted({ userId, completedAt, moduleIds });
    }
  }

  /** A module is complete when all its lessons are done and its quiz is passed. */
  async function checkModuleCompletion(userId: string, module: PublishedModule) {
    const done = new Set(
      (await models.LessonCompletion.find({ userId, moduleId: module.moduleId }, { lessonId: 1 }).lean()).map((l) => l.lessonId),
    );
    const lessonIds = module.lessons.map((l) => l.id);
    if (!lessonIds.every((id) => done.has(id))) return;
    const passing = await models.QuizGrade.findOne({ userId, moduleId: module.moduleId, passed: true }).sort({ gradedAt: 1 }).lean();
    if (!passing) return;
    await insertIgnoringDuplicate(() =>
      models.ModuleCompletion.create({
        userId,
        moduleId: module.moduleId,
        moduleVersion: module.version,
        completedAt: clock(),
        lessonIds,
        passingAttemptId: passing.attemptId,
      }),
    );
    await checkCourseCompletion(userId);
  }

  /** Marks a lesson complete. Idempotent: the first completion's date is kept. */
  async function completeLesson(userId: string, moduleId: string, lessonId: string) {
    const module = await content.getModule(moduleId);
    if (!module?.lessonIndex.has(lessonId)) throw new NotFoundError();
    await insertIgnoringDuplicate(() => models.LessonCompletion.create({ userId, moduleId, lessonId, completedAt: clock() }));
    await checkModuleCompletion(userId, module);
  }

  async function moduleProgress(userId: string, module: PublishedModule): Promise<ModuleProgress> {
    const [lessons, grades, completion] = await Promise.all([
      models.LessonCompletion.find({ userId, moduleId: module.moduleId }).lean(),
      models.QuizGrade.find({ userId, moduleId: module.moduleId }).sort({ gradedAt: 1 }).lean(),
      models.ModuleCompletion.findOne({ userId, moduleId: module.moduleId }).lean(),
    ]);
    const attempts = await models.QuizAttempt.countDocuments({ userId, moduleId: module.moduleId });
    // Progress is keyed by stable ids: completions of lessons a new version dropped no longer count.
    const completedLessons = new Map(
      lessons.filter((l) => module.lessonIndex.has(l.lessonId)).map((l) => [l.lessonId, l.completedAt] as const),
    );
    const lessonsDone = completedLessons.size;
    const passingGrade = grades.find((g) => g.passed);
    const bestScore = grades.length ? Math.max(...grades.map((g) => g.scorePercent)) : undefined;
    const status = moduleStatus({ completed: Boolean(completion), lessonsDone, lessonsTotal: module.lessons.length, attempts });
    return {
      moduleId: module.moduleId,
      lessonsTotal: module.lessons.length,
      lessonsDone,
      completedLessons,
      attempts,
      bestScore,
      passingGrade,
      completion: completion ?? undefined,
      status,
      resumeLessonId: module.lessons.find((l) => !completedLessons.has(l.id))?.id,
    };
  }

  async function courseProgress(userId: string) {
    const modules = await content.modules();
    const progress = await Promise.all(modules.map((m) => moduleProgress(userId, m)));
    const courseCompletion = await models.CourseCompletion.findOne({ userId }).lean();
    return { modules, progress, courseCompletion: courseCompletion ?? undefined };
  }

  return { completeLesson, checkModuleCompletion, moduleProgress, courseProgress };
}

export type ProgressService = ReturnType<typeof createProgressService>;
