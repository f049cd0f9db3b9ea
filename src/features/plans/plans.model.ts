import { modelOn } from '../../platform/database/models';
import { type Connection, Schema } from 'mongoose';

/** A value of one worksheet field: a text, the chosen option ids, or table rows (column id → text). */
export type FieldValue = string | string[] | Record<string, string>[];
export type WorksheetValues = Record<string, FieldValue>;

/**
 * One save of one learner's worksheet. Insert-only: each save is a new document and the latest
 * wins, so two tabs or a double submit lose nothing (every revision stays, in order).
 */
export type WorksheetRevisionDoc = {
  userId: string;
  moduleId: string;
  values: WorksheetValues;
  finished: boolean;
  createdAt: Date;
};

/** The learner turned sharing with their cohorts' trainers on or off. Insert-only; the latest wins. */
export type PlanShareDoc = { userId: string; shared: boolean; createdAt: Date };

/** A trainer's feedback on one step of a learner's plan (`step` = `<moduleId>.<stepId>`). */
export type PlanFeedbackDoc = {
  learnerId: string;
  cohortId: string;
  trainerId: string;
  trainerName: string;
  step: string;
  body: string;
  createdAt: Date;
};

const revisionSchema = new Schema<WorksheetRevisionDoc>(
  {
    userId: { type: String, required: true },
    moduleId: { type: String, required: true },
    values: { type: Object, required: true },
    finished: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'worksheet_revisions', versionKey: false, minimize: false },
);
// the latest revision of a learner's worksheet: equality on (userId, moduleId), sorted by time
revisionSchema.index({ userId: 1, moduleId: 1, createdAt: -1 });

const shareSchema = new Schema<PlanShareDoc>(
  {
    userId: { type: String, required: true },
    shared: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'plan_shares', versionKey: false },
);
shareSchema.index({ userId: 1, createdAt: -1 });

const feedbackSchema = new Schema<PlanFeedbackDoc>(
  {
    learnerId: { type: String, required: true },
    cohortId: { type: String, required: true },
    trainerId: { type: String, required: true },
    trainerName: { type: String, required: true },
    step: { type: String, required: true },
    body: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'plan_feedback', versionKey: false },
);
feedbackSchema.index({ learnerId: 1, createdAt: 1 });

export function planModels(connection: Connection) {
  return {
    WorksheetRevision: modelOn<WorksheetRevisionDoc>(connection, 'WorksheetRevision', revisionSchema),
    PlanShare: modelOn<PlanShareDoc>(connection, 'PlanShare', shareSchema),
    PlanFeedback: modelOn<PlanFeedbackDoc>(connection, 'PlanFeedback', feedbackSchema),
  };
}
export type PlanModels = ReturnType<typeof planModels>;
