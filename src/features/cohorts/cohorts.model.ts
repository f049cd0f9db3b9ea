import { modelOn } from '../../platform/database/models';
import { type Connection, Schema, type Types } from 'mongoose';
import { LANGUAGES, type Language } from '../../platform/i18n';

/*
 * A cohort is one document; who trains it and who is enrolled in it are their own documents, keyed
 * `${cohortId}:${userId}` so that "may this trainer see this cohort?" and "is this learner in it?"
 * are `_id` lookups (the one filter FerretDB's SQLite backend answers from an index) and a double
 * enrolment fails on the primary key instead of counting twice (DESIGN.md: no counters, inserted facts).
 */

export type CohortDoc = {
  _id: Types.ObjectId;
  name: string;
  /** the language the cohort is taught in */
  language: Language;
  /** calendar dates, stored as UTC midnight; optional fields are left out, never null */
  startsOn?: Date;
  endsOn?: Date;
  /** the last day the join code works, when the trainer closes joining before the end date */
  joinClosesOn?: Date;
  joinCode: string;
  createdBy: string;
  createdAt: Date;
};

export type CohortTrainerDoc = { _id: string; cohortId: string; userId: string; addedAt: Date; addedBy: string };

export type CohortMemberDoc = {
  _id: string;
  cohortId: string;
  userId: string;
  enrolledAt: Date;
  /** `code`: the learner joined with the join code; `list`: a trainer enrolled them from a list of e-mails */
  via: 'code' | 'list';
};

export const memberKey = (cohortId: string, userId: string) => `${cohortId}:${userId}`;

const cohortSchema = new Schema<CohortDoc>(
  {
    name: { type: String, required: true, trim: true, maxlength: 120 },
    language: { type: String, enum: LANGUAGES, required: true },
    startsOn: { type: Date },
    endsOn: { type: Date },
    joinClosesOn: { type: Date },
    joinCode: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'cohorts', versionKey: false },
);
// Unique, so two cohorts drawing the same code at once cannot both keep it.
cohortSchema.index({ joinCode: 1 }, { unique: true });
cohortSchema.index({ createdAt: -1 });

const trainerSchema = new Schema<CohortTrainerDoc>(
  {
    _id: { type: String, required: true },
    cohortId: { type: String, required: true },
    userId: { type: String, required: true },
    addedAt: { type: Date, required: true },
    addedBy: { type: String, required: true },
  },
  { collection: 'cohort_trainers', versionKey: false },
);
trainerSchema.index({ cohortId: 1, userId: 1 }, { unique: true });
// a trainer's list of cohorts
trainerSchema.index({ userId: 1 });

const memberSchema = new Schema<CohortMemberDoc>(
  {
    _id: { type: String, required: true },
    cohortId: { type: String, required: true },
    userId: { type: String, required: true },
    enrolledAt: { type: Date, required: true },
    via: { type: String, enum: ['code', 'list'], required: true },
  },
  { collection: 'cohort_members', versionKey: false },
);
// The cohort's learners in user-id order: the order the progress report merges in.
memberSchema.index({ cohortId: 1, userId: 1 }, { unique: true });
memberSchema.index({ userId: 1 });

export function cohortModels(connection: Connection) {
  return {
    Cohort: modelOn(connection, 'Cohort', cohortSchema),
    CohortTrainer: modelOn(connection, 'CohortTrainer', trainerSchema),
    CohortMember: modelOn(connection, 'CohortMember', memberSchema),
  };
}

export type CohortModels = ReturnType<typeof cohortModels>;
