import type { Request } from 'express';
import type { Connection } from 'mongoose';
import type { ActivityObserver } from '../../platform/activity';
import { currentLanguage } from '../../platform/i18n';
import type { ContentService, PublishedModule } from '../content';
import { learningController, summarizeProgress } from './learning.controller';
import type { LearningEvents } from './learning.events';
import { createLearnerRecords } from './learner-records';
import { learningModels } from './learning.models';
import { learningRouter } from './learning.routes';
import { createProgressService } from './progress.service';
import { createQuizService } from './quiz.service';

export { createLearningEvents, type CourseCompleted, type LearningEvents } from './learning.events';
export { learningModels, type LearningModels } from './learning.models';
export type { ProgressService, ModuleProgress, ModuleStatus } from './progress.service';
export { moduleStatus } from './progress.service';
export {
  createLearnerRecords,
  foldModule,
  lastActivity,
  type GradedAnswers,
  type LearnerRecords,
  type LearnerRecordsReader,
  type ModuleShape,
} from './learner-records';

/** The learning records' read functions on this connection, for features that report on learners. */
export const learnerRecordsOn = (connection: Connection) => createLearnerRecords(learningModels(connection));

/** Wires the learning loop: progress, quizzes, the dashboard, and the progress shown on content pages. */
export function createLearning(deps: { connection: Connection; content: ContentService; events: LearningEvents; activity?: ActivityObserver }) {
  const models = learningModels(deps.connection);
  const { activity } = deps;
  const progress = createProgressService({ models, content: deps.content, events: deps.events, activity });
  const quizzes = createQuizService({ models, content: deps.content, progress, activity });
  const controller = learningController({ content: deps.content, progress, quizzes });

  /** What the module page shows of the learner's progress, with the records that explain it. */
  async function moduleExtras(req: Request, module: PublishedModule) {
    if (!req.user) return {};
    const lng = currentLanguage(req);
    const p = await progress.moduleProgress(req.user.id, module);
    return {
      progress: {
        ...summarizeProgress(module, p, lng),
        lessons: module.lessons.map((l) => ({ id: l.id, completedAt: p.completedLessons.get(l.id) })),
        passingGrade: p.passingGrade && {
          href: `/modules/${module.moduleId}/quiz/attempts/${p.passingGrade.attemptId}`,
          scorePercent: p.passingGrade.scorePercent,
          gradedAt: p.passingGrade.gradedAt,
          number: p.passingGrade.attemptNumber,
        },
        completedAt: p.completion?.completedAt,
      },
    };
  }

  async function lessonExtras(req: Request, module: PublishedModule, lessonId: string) {
    if (!req.user) return {};
    await activity?.record({ type: 'lesson-experienced', userId: req.user.id, moduleId: module.moduleId, lessonId, at: new Date() });
    return { lessonCompletedAt: (await progress.lessonCompletedAt(req.user.id, module.moduleId, lessonId)) ?? null };
  }

  return {
    models,
    progress,
    quizzes,
    router: (requireLearner: import('express').RequestHandler) => learningRouter(controller, requireLearner),
    moduleExtras,
    lessonExtras,
  };
}
