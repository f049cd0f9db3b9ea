import { type Connection, Schema, type Types } from 'mongoose';
import { modelOn } from '../../platform/database';

/*
 * A thread and its posts are separate documents: the opening text is the thread's first post, so
 * editing, hiding and reporting work the same on every post. Nothing is counted in place (DESIGN.md:
 * FerretDB's read-modify-write updates lose concurrent `$inc`s): reply counts are grouped from the
 * posts, and a double submit is refused by the unique `submission` key instead of being counted twice.
 */
export const THREAD_KINDS = ['discussion', 'practice', 'announcement', 'plan'] as const;
export type ThreadKind = (typeof THREAD_KINDS)[number];

export type Practice = { place: string; country: string; targets: string[]; sdgs: number[]; done: string; worked: string; didNot: string; link?: string };
export type Moderation = { reason: string; by: string; at: Date };

export type ThreadDoc = {
  _id: Types.ObjectId;
  cohortId: string;
  authorId: string;
  kind: ThreadKind;
  title: string;
  moduleId?: string;
  lessonId?: string;
  practice?: Practice;
  pinned: boolean;
  locked: boolean;
  hidden: boolean;
  hiddenInfo?: Moderation;
  /** `<authorId>:<form token>`: the same form sent twice makes one thread */
  submission: string;
  createdAt: Date;
  lastActivityAt: Date;
};

export type PostDoc = {
  _id: Types.ObjectId;
  threadId: string;
  cohortId: string;
  authorId: string;
  /** the Markdown as written, and the sanitized HTML made from it when it was saved */
  body: string;
  html: string;
  opening: boolean;
  /** `<moduleId>/<lessonId>` when the thread is about a lesson: the lesson page counts these */
  lessonKey?: string;
  hidden: boolean;
  hiddenInfo?: Moderation;
  submission: string;
  createdAt: Date;
  editedAt?: Date;
};

export type RevisionDoc = { _id: Types.ObjectId; postId: string; body: string; savedAt: Date; replacedAt: Date };
export type ReadDoc = { _id: string; threadId: string; userId: string; readAt: Date };
export type ReportDoc = {
  _id: string;
  cohortId: string;
  threadId: string;
  postId: string;
  reporterId: string;
  reason: string;
  state: 'open' | 'resolved';
  createdAt: Date;
  resolvedAt?: Date;
};

const moderation = { reason: String, by: String, at: Date };

const threadSchema = new Schema<ThreadDoc>(
  {
    cohortId: { type: String, required: true },
    authorId: { type: String, required: true },
    kind: { type: String, enum: THREAD_KINDS, required: true },
    title: { type: String, required: true },
    moduleId: String,
    lessonId: String,
    practice: { type: new Schema({ place: String, country: String, targets: [String], sdgs: [Number], done: String, worked: String, didNot: String, link: String }, { _id: false }) },
    pinned: { type: Boolean, required: true },
    locked: { type: Boolean, required: true },
    hidden: { type: Boolean, required: true },
    hiddenInfo: { type: new Schema(moderation, { _id: false }) },
    submission: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastActivityAt: { type: Date, required: true },
  },
  { collection: 'discussion_threads', versionKey: false },
);
// the list: pinned threads, then the rest newest activity first, visible ones only for members
threadSchema.index({ cohortId: 1, hidden: 1, pinned: 1, lastActivityAt: -1 });
// practices across the cohort, and an author's own hidden threads
threadSchema.index({ cohortId: 1, kind: 1, lastActivityAt: -1 });
threadSchema.index({ cohortId: 1, authorId: 1, hidden: 1 });
threadSchema.index({ submission: 1 }, { unique: true });

const postSchema = new Schema<PostDoc>(
  {
    threadId: { type: String, required: true },
    cohortId: { type: String, required: true },
    authorId: { type: String, required: true },
    body: { type: String, required: true },
    html: { type: String, required: true },
    opening: { type: Boolean, required: true },
    lessonKey: String,
    hidden: { type: Boolean, required: true },
    hiddenInfo: { type: new Schema(moderation, { _id: false }) },
    submission: { type: String, required: true },
    createdAt: { type: Date, required: true },
    editedAt: Date,
  },
  { collection: 'discussion_posts', versionKey: false },
);
postSchema.index({ threadId: 1, hidden: 1, createdAt: 1 });
postSchema.index({ threadId: 1, createdAt: 1 });
postSchema.index({ cohortId: 1, lessonKey: 1, hidden: 1 });
// the digest: what is new in a cohort since a date
postSchema.index({ cohortId: 1, createdAt: 1 });
postSchema.index({ createdAt: 1 });
postSchema.index({ submission: 1 }, { unique: true });

const revisionSchema = new Schema<RevisionDoc>(
  { postId: { type: String, required: true }, body: { type: String, required: true }, savedAt: { type: Date, required: true }, replacedAt: { type: Date, required: true } },
  { collection: 'discussion_revisions', versionKey: false },
);
revisionSchema.index({ postId: 1 });

const readSchema = new Schema<ReadDoc>(
  { _id: { type: String, required: true }, threadId: { type: String, required: true }, userId: { type: String, required: true }, readAt: { type: Date, required: true } },
  { collection: 'discussion_reads', versionKey: false },
);

const reportSchema = new Schema<ReportDoc>(
  {
    _id: { type: String, required: true },
    cohortId: { type: String, required: true },
    threadId: { type: String, required: true },
    postId: { type: String, required: true },
    reporterId: { type: String, required: true },
    reason: { type: String, required: true },
    state: { type: String, enum: ['open', 'resolved'], required: true },
    createdAt: { type: Date, required: true },
    resolvedAt: Date,
  },
  { collection: 'discussion_reports', versionKey: false },
);
reportSchema.index({ cohortId: 1, state: 1, createdAt: 1 });

export const readKey = (threadId: string, userId: string) => `${threadId}:${userId}`;

export function discussionModels(connection: Connection) {
  return {
    Thread: modelOn(connection, 'DiscussionThread', threadSchema),
    Post: modelOn(connection, 'DiscussionPost', postSchema),
    Revision: modelOn(connection, 'DiscussionRevision', revisionSchema),
    Read: modelOn(connection, 'DiscussionRead', readSchema),
    Report: modelOn(connection, 'DiscussionReport', reportSchema),
  };
}
export type DiscussionModels = ReturnType<typeof discussionModels>;
