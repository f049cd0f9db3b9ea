import type { Connection } from 'mongoose';
import type { ContentService } from '../content';
import { type DashboardExtras, learningController, learningPageExtras } from './learning.controller';
import type { LearningEvents } from './learning.events';
import { createLearnerRecords } from './learner-records';
import { learningModels } from './learning.model';
import { learningRouter } from './learning.routes';
import { createProgressService } from './progress.service';
import { createQuizService } from './quiz.service';

export type { DashboardExtras } from './learning.controller';
export { createLearningEvents, type CourseCompleted, type LearningEvents } from './learning.events';
export { learningModels, type LearningModels } from './learning.model';
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
export function createLearning(deps: { connection: Connection; content: ContentService; events: LearningEvents; dashboard?: DashboardExtras }) {
  const models = learningModels(deps.connection);
  const progress = createProgressService({ models, content: deps.content, events: deps.events });
  const quizzes = createQuizService({ models, content: deps.content, progress });
  const controller = learningController({ content: deps.content, progress, quizzes, dashboard: deps.dashboard });

  const extras = learningPageExtras(progress);

  return {
    models,
    progress,
    quizzes,
    router: (requireLearner: import('express').RequestHandler) => learningRouter(controller, requireLearner),
    moduleExtras: extras.module,
    lessonExtras: extras.lesson,
  };
}
