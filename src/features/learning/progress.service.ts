import { type ActivityObserver, noActivity } from '../../platform/activity';
import { findFew } from '../../platform/database';
import { NotFoundError } from '../../platform/errors';
import { type ContentService, type PublishedModule, requiresWorksheet } from '../content';
import type { LearningEvents } from './learning.events';
import {
  createLearnerRecords,
  type FinishedWorksheetsReader,
  foldModule,
  type ModuleProgress,
  type ModuleShape,
  needsWorksheets,
} from './learner-records';
import { insertOnce, upsertRacing } from '../../platform/database';
import type { LearningModels } from './learning.model';

export type { ModuleProgress, ModuleStatus } from './learner-records';
export { moduleStatus } from './learner-records';

/** A module as the fold needs it: its lessons, and whether its module.yaml requires the worksheet finished. */
export const shapeOf = (module: PublishedModule): ModuleShape => ({
  moduleId: module.moduleId,
  lessonIds: module.lessons.map((l) => l.id),
  ...(requiresWorksheet(module) ? { worksheetRequired: true } : {}),
});

export function createProgressService(deps: {
  models: LearningModels;
  content: ContentService;
  events: LearningEvents;
  /** the plans feature's finished worksheets, for modules whose completion requires one */
  worksheets: FinishedWorksheetsReader;
  activity?: ActivityObserver;
  clock?: () => Date;
}) {
  const { models, content, events, worksheets } = deps;
  const records = createLearnerRecords(models, worksheets);
  const clock = deps.clock ?? (() => new Date());
  const activity = deps.activity ?? noActivity;

  /** The course is complete when every published module is: record it once and announce it. */
  async function checkCourseCompletion(userId: string) {
    const modules = await content.modules();
    if (modules.length === 0) return;
    const done = new Set((await models.ModuleCompletion.find({ userId }, { moduleId: 1 }).lean()).map((c) => c.moduleId));
    if (!modules.every((m) => done.has(m.moduleId))) return;
    const completedAt = clock();
    const moduleIds = modules.map((m) => m.moduleId);
    if (await insertOnce(() => models.CourseCompletion.create({ userId, moduleIds, completedAt }))) {
      await activity.record({ type: 'course-completed', userId, moduleIds, at: completedAt });
      events.emitCourseCompleted({ userId, completedAt, moduleIds });
    }
  }

  /**
   * A module is complete when all its lessons are done and its quiz is passed, and, when module.yaml
   * says `completion: { worksheet: required }`, its worksheet has been marked finished. Checked
   * after each of the three (a lesson marked complete, a quiz passed, a worksheet finished).
   */
  async function checkModuleCompletion(userId: string, module: PublishedModule) {
    // one plain find command (every passing quiz and every lesson completed asks): string fields, nothing to cast
    const completions = await findFew<{ lessonId: string }>(
      models.LessonCompletion.db.db!,
      models.LessonCompletion.collection.collectionName,
      { userId, moduleId: module.moduleId },
      { _id: 0, lessonId: 1 },
    );
    const done = new Set(completions.map((l) => l.lessonId));
    const lessonIds = module.lessons.map((l) => l.id);
    if (!lessonIds.every((id) => done.has(id))) return;
    const passing = await models.QuizGrade.findOne({ userId, moduleId: module.moduleId, passed: true }).sort({ gradedAt: 1 }).lean();
    if (!passing) return;
    if (requiresWorksheet(module) && (await worksheets.finishedOf(userId, module.moduleId)).length === 0) return;
    const completedAt = clock();
    const inserted = await insertOnce(() =>
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
    if (await insertOnce(() => models.LessonCompletion.create({ userId, moduleId, lessonId, completedAt: at }))) {
      await activity.record({ type: 'lesson-completed', userId, moduleId, lessonId, at });
    }
    await checkModuleCompletion(userId, module);
  }

  /** The learner's progress in one module: one query per collection, keyed by learner and module. */
  async function moduleProgress(userId: string, module: PublishedModule): Promise<ModuleProgress> {
    const shape = shapeOf(module);
    return foldModule(await records.ofLearner(userId, module.moduleId, { worksheets: shape.worksheetRequired }), shape);
  }

  /** The learner's progress in every module: one query per collection for the whole course. */
  async function courseProgress(userId: string) {
    const modules = await content.modules();
    const shapes = modules.map(shapeOf);
    const [mine, lastLesson] = await Promise.all([records.ofLearner(userId, undefined, { worksheets: needsWorksheets(shapes) }), lastOpened(userId)]);
    const progress = shapes.map((shape) => foldModule(mine, shape));
    return { modules, progress, courseCompletion: mine.courseCompletion, lastLesson };
  }

  /** Remembers the lesson a learner opened, so "continue where you left off" can return to it. */
  async function lessonOpened(userId: string, moduleId: string, lessonId: string) {
    // "Save for offline" opens all of a module's lessons at once
    await upsertRacing(() => models.LastLesson.replaceOne({ _id: userId }, { moduleId, lessonId, at: clock() }, { upsert: true }));
  }

  async function lastOpened(userId: string) {
    const doc = await models.LastLesson.findById(userId).lean();
    return doc ? { moduleId: doc.moduleId, lessonId: doc.lessonId } : undefined;
  }

  return {
    completeLesson,
    checkModuleCompletion,
    moduleProgress,
    courseProgress,
    lessonOpened,
    lastOpened,
    lessonCompletedAt: records.lessonCompletedAt,
  };
}

export type ProgressService = ReturnType<typeof createProgressService>;
