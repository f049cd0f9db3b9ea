import { type ActivityObserver, noActivity } from '../../platform/activity';
import { NotFoundError } from '../../platform/errors';
import type { ContentService, PublishedModule } from '../content';
import type { LearningEvents } from './learning.events';
import { createLearnerRecords, foldModule, type ModuleProgress, type ModuleShape } from './learner-records';
import { isDuplicateKey, type LearningModels } from './learning.models';

export type { ModuleProgress, ModuleStatus } from './learner-records';
export { moduleStatus } from './learner-records';

const shapeOf = (module: PublishedModule): ModuleShape => ({ moduleId: module.moduleId, lessonIds: module.lessons.map((l) => l.id) });

export function createProgressService(deps: {
  models: LearningModels;
  content: ContentService;
  events: LearningEvents;
  activity?: ActivityObserver;
  clock?: () => Date;
}) {
  const { models, content, events } = deps;
  const records = createLearnerRecords(models);
  const clock = deps.clock ?? (() => new Date());
  const activity = deps.activity ?? noActivity;

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
      await activity.record({ type: 'course-completed', userId, moduleIds, at: completedAt });
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
    const completedAt = clock();
    const inserted = await insertIgnoringDuplicate(() =>
      models.ModuleCompletion.create({
        userId,
        moduleId: module.moduleId,
        moduleVersion: module.version,
        completedAt,
        lessonIds,
        passingAttemptId: passing.attemptId,
      }),
    );
    if (inserted) await activity.record({ type: 'module-completed', userId, moduleId: module.moduleId, scorePercent: passing.scorePercent, at: completedAt });
    await checkCourseCompletion(userId);
  }

  /** Marks a lesson complete. Idempotent: the first completion's date is kept. */
  async function completeLesson(userId: string, moduleId: string, lessonId: string) {
    const module = await content.getModule(moduleId);
    if (!module?.lessonIndex.has(lessonId)) throw new NotFoundError();
    const at = clock();
    if (await insertIgnoringDuplicate(() => models.LessonCompletion.create({ userId, moduleId, lessonId, completedAt: at }))) {
      await activity.record({ type: 'lesson-completed', userId, moduleId, lessonId, at });
    }
    await checkModuleCompletion(userId, module);
  }

  /** The learner's progress in one module: one query per collection, keyed by learner and module. */
  async function moduleProgress(userId: string, module: PublishedModule): Promise<ModuleProgress> {
    return foldModule(await records.ofLearner(userId, module.moduleId), shapeOf(module));
  }

  /** The learner's progress in every module: one query per collection for the whole course. */
  async function courseProgress(userId: string) {
    const [modules, mine] = await Promise.all([content.modules(), records.ofLearner(userId)]);
    const progress = modules.map((m) => foldModule(mine, shapeOf(m)));
    return { modules, progress, courseCompletion: mine.courseCompletion };
  }

  return { completeLesson, checkModuleCompletion, moduleProgress, courseProgress, lessonCompletedAt: records.lessonCompletedAt };
}

export type ProgressService = ReturnType<typeof createProgressService>;
