import type { Request } from 'express';
import type { Connection } from 'mongoose';
import { currentLanguage } from '../../platform/i18n';
import type { ContentService, PublishedModule } from '../content';
import type { AuditLog } from '../audit';
import { createAttemptGrants } from './attempt-grants';
import { learningController, nextStepView, summarizeProgress } from './learning.controller';
import { courseSteps } from './next-step';
import type { LearningEvents } from './learning.events';
import { createLearnerRecords } from './learner-records';
import { learningModels } from './learning.models';
import { learningRouter } from './learning.routes';
import { createProgressService } from './progress.service';
import { createQuizService } from './quiz.service';

export { type AttemptGrants, MAX_EXTRA_PER_GRANT } from './attempt-grants';
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

/** Extra quiz attempts (trainers grant them from a learner's drill-down), on this connection. */
export const attemptGrantsOn = (connection: Connection, audit: AuditLog) => createAttemptGrants({ models: learningModels(connection), audit });

/** Wires the learning loop: progress, quizzes, the dashboard, and the progress shown on content pages. */
export function createLearning(deps: {
  connection: Connection;
  content: ContentService;
  events: LearningEvents;
  audit: AuditLog;
  /** the trainers of the learner's cohorts, shown when the quiz attempts are used up */
  trainersOf?: (userId: string) => Promise<{ name: string; email: string }[]>;
}) {
  const models = learningModels(deps.connection);
  const progress = createProgressService({ models, content: deps.content, events: deps.events });
  const grants = createAttemptGrants({ models, audit: deps.audit });
  const quizzes = createQuizService({ models, content: deps.content, progress, grants });
  const controller = learningController({ content: deps.content, progress, quizzes, trainersOf: deps.trainersOf ?? (async () => []) });

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
    await progress.lessonOpened(req.user.id, module.moduleId, lessonId);
    return { lessonCompletedAt: (await progress.lessonCompletedAt(req.user.id, module.moduleId, lessonId)) ?? null };
  }

  /** What the home page shows a signed-in learner: how far through the course, and the next step. */
  async function homeExtras(req: Request) {
    if (!req.user) return {};
    const lng = currentLanguage(req);
    const { modules, progress: all, lastLesson } = await progress.courseProgress(req.user.id);
    return { course: courseSteps(all), next: nextStepView(modules, all, lastLesson, lng) };
  }

  return {
    models,
    progress,
    homeExtras,
    quizzes,
    grants,
    router: (requireLearner: import('express').RequestHandler) => learningRouter(controller, requireLearner),
    moduleExtras,
    lessonExtras,
  };
}
