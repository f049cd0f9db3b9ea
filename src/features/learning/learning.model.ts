import { modelOn } from '../../platform/database/models';
import { type Connection, Schema, type Types } from 'mongoose';

/*
 * Progress is insert-only: every fact is its own document with a compound unique key, so a double
 * click, a retry or two app instances racing can never count twice or lose an update (FerretDB v1
 * applies updates as read-modify-write; see DESIGN.md). Nothing here is ever updated in place.
 */

export type LessonCompletionDoc = { userId: string; moduleId: string; lessonId: string; completedAt: Date };

export type DrawnQuestion = { questionId: string; optionIds: string[] };
export type QuizAttemptDoc = {
  _id: Types.ObjectId;
  userId: string;
  moduleId: string;
  moduleVersion: number;
  /** 1 for the learner's first attempt at this module's quiz; unique, so maxAttempts holds under races */
  number: number;
  questions: DrawnQuestion[];
  startedAt: Date;
};

export type GradedQuestion = { questionId: string; chosen: string[]; correct: boolean };
export type QuizGradeDoc = {
  /** the attempt's own id: a grade is found by _id, the one lookup FerretDB's SQLite backend indexes */
  _id: Types.ObjectId;
  attemptId: Types.ObjectId;
  userId: string;
  moduleId: string;
  moduleVersion: number;
  attemptNumber: number;
  questions: GradedQuestion[];
  correctCount: number;
  total: number;
  scorePercent: number;
  passPercent: number;
  passed: boolean;
  gradedAt: Date;
};

export type ModuleCompletionDoc = {
  userId: string;
  moduleId: string;
  moduleVersion: number;
  completedAt: Date;
  /** the facts that made it complete, so "why is this complete?" has an answer */
  lessonIds: string[];
  passingAttemptId: Types.ObjectId;
};

export type CourseCompletionDoc = { userId: string; moduleIds: string[]; completedAt: Date };

const lessonCompletion = new Schema<LessonCompletionDoc>(
  {
    userId: { type: String, required: true },
    moduleId: { type: String, required: true },
    lessonId: { type: String, required: true },
    completedAt: { type: Date, required: true },
  },
  { collection: 'lesson_completions', versionKey: false },
);
lessonCompletion.index({ userId: 1, moduleId: 1, lessonId: 1 }, { unique: true });

const quizAttempt = new Schema<QuizAttemptDoc>(
  {
    userId: { type: String, required: true },
    moduleId: { type: String, required: true },
    moduleVersion: { type: Number, required: true },
    number: { type: Number, required: true },
    questions: { type: [{ _id: false, questionId: String, optionIds: [String] }], required: true },
    startedAt: { type: Date, required: true },
  },
  { collection: 'quiz_attempts', versionKey: false },
);
quizAttempt.index({ userId: 1, moduleId: 1, number: 1 }, { unique: true });

const quizGrade = new Schema<QuizGradeDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    attemptId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: String, required: true },
    moduleId: { type: String, required: true },
    moduleVersion: { type: Number, required: true },
    attemptNumber: { type: Number, required: true },
    questions: { type: [{ _id: false, questionId: String, chosen: [String], correct: Boolean }], required: true },
    correctCount: { type: Number, required: true },
    total: { type: Number, required: true },
    scorePercent: { type: Number, required: true },
    passPercent: { type: Number, required: true },
    passed: { type: Boolean, required: true },
    gradedAt: { type: Date, required: true },
  },
  { collection: 'quiz_grades', versionKey: false },
);
// One grade per attempt: its _id is the attempt's, so a second submission fails on the primary key.
quizGrade.index({ userId: 1, moduleId: 1 });

const moduleCompletion = new Schema<ModuleCompletionDoc>(
  {
    userId: { type: String, required: true },
    moduleId: { type: String, required: true },
    moduleVersion: { type: Number, required: true },
    completedAt: { type: Date, required: true },
    lessonIds: { type: [String], required: true },
    passingAttemptId: { type: Schema.Types.ObjectId, required: true },
  },
  { collection: 'module_completions', versionKey: false },
);
moduleCompletion.index({ userId: 1, moduleId: 1 }, { unique: true });

const courseCompletion = new Schema<CourseCompletionDoc>(
  {
    userId: { type: String, required: true },
    moduleIds: { type: [String], required: true },
    completedAt: { type: Date, required: true },
  },
  { collection: 'course_completions', versionKey: false },
);
courseCompletion.index({ userId: 1 }, { unique: true });

export function learningModels(connection: Connection) {
  return {
    LessonCompletion: modelOn(connection, 'LessonCompletion', lessonCompletion),
    QuizAttempt: modelOn(connection, 'QuizAttempt', quizAttempt),
    QuizGrade: modelOn(connection, 'QuizGrade', quizGrade),
    ModuleCompletion: modelOn(connection, 'ModuleCompletion', moduleCompletion),
    CourseCompletion: modelOn(connection, 'CourseCompletion', courseCompletion),
  };
}

export type LearningModels = ReturnType<typeof learningModels>;

