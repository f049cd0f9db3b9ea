import type { Connection } from 'mongoose';
import type { ActivityObserver } from '../../platform/activity';
import type { AuditLog } from '../audit';
import type { ContentService } from '../content';
import { type AttemptGrants, createAttemptGrants } from './attempt-grants';
import { createAttemptTokens } from './attempt-token';
import { type DashboardExtras, learningController } from './learning.controller';
import { learningPageExtras } from './page-extras';
import type { LearningEvents } from './learning.events';
import { createLearnerRecords, type FinishedWorksheetsReader } from './learner-records';
import { learningModels } from './learning.model';
import { learningRouter } from './learning.routes';
import { createProgressService } from './progress.service';
import { createQuizService } from './quiz.service';

export type { DashboardExtras } from './learning.controller';
export { type AttemptGrants, MAX_EXTRA_PER_GRANT } from './attempt-grants';
export { createAttemptTokens } from './attempt-token';
export { createLearningEvents, type CourseCompleted, type LearningEvents } from './learning.events';
export { learningModels, type LearningModels } from './learning.model';
export type { ProgressService, ModuleProgress, ModuleStatus } from './progress.service';
export { moduleStatus, shapeOf } from './progress.service';
export {
  createLearnerRecords,
  type FinishedWorksheetsReader,
  foldModule,
  lastActivity,
  needsWorksheets,
  type GradedAnswers,
  type LearnerRecords,
  type LearnerRecordsReader,
  type ModuleShape,
  type WorksheetFinish,
} from './learner-records';

/**
 * The learning records' read functions on this connection, for features that report on learners;
 * `worksheets` reads the finished worksheets that a module's completion may require (plans' records).
 */
export const learnerRecordsOn = (connection: Connection, worksheets: FinishedWorksheetsReader) =>
  createLearnerRecords(learningModels(connection), worksheets);

/** Extra quiz attempts (trainers grant them from a learner's drill-down), on this connection. */
export const attemptGrantsOn = (connection: Connection, audit: AuditLog) => createAttemptGrants({ models: learningModels(connection), audit });

/** Wires the learning loop: progress, quizzes, the dashboard, and the progress shown on content pages. */
export function createLearning(deps: {
  connection: Connection;
  content: ContentService;
  events: LearningEvents;
  audit: AuditLog;
  /** extra quiz attempts: built once in createApp, since cohorts grant them too */
  grants?: AttemptGrants;
  dashboard?: DashboardExtras;
  /** the trainers of the learner's cohorts, shown when the quiz attempts are used up */
  trainersOf?: (userId: string) => Promise<{ name: string; email: string }[]>;
  /** the plans feature's finished worksheets, which a module's completion may require */
  worksheets: FinishedWorksheetsReader;
  /** told what learners do (xAPI statements, LMS grade passback) */
  activity?: ActivityObserver;
  /**
   * the session secret: the quiz form's attempt is signed with a key derived from it; undefined when
   * the secret is the public development one, and every submission then reads its attempt
   */
  secret: string | undefined;
}) {
  const { activity } = deps;
  const models = learningModels(deps.connection);
  const progress = createProgressService({ models, content: deps.content, events: deps.events, worksheets: deps.worksheets, activity });
  const grants = deps.grants ?? createAttemptGrants({ models, audit: deps.audit });
  const quizzes = createQuizService({ models, content: deps.content, progress, grants, activity, tokens: deps.secret ? createAttemptTokens(deps.secret) : undefined });
  const controller = learningController({
    content: deps.content,
    progress,
    quizzes,
    dashboard: deps.dashboard,
    trainersOf: deps.trainersOf ?? (async () => []),
  });
  const extras = learningPageExtras(progress, activity);

  return {
    models,
    progress,
    homeExtras: extras.home,
    quizzes,
    grants,
    router: (requireLearner: import('express').RequestHandler) => learningRouter(controller, requireLearner),
    moduleExtras: extras.module,
    lessonExtras: extras.lesson,
  };
}
