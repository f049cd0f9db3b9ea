import { type Connection, Schema } from 'mongoose';
import { modelOn } from '../../platform/database';

export const DIGEST_CHOICES = ['off', 'daily', 'weekly'] as const;
export type DigestChoice = (typeof DIGEST_CHOICES)[number];
export const NOTICE_KINDS = ['replies', 'mentions', 'announcements', 'digest'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** A member's e-mail choices; a member without a document has the defaults (DEFAULT_PREFS). */
export type PrefsDoc = { _id: string; replies: boolean; mentions: boolean; announcements: boolean; digest: DigestChoice; updatedAt: Date };
export type Prefs = Omit<PrefsDoc, '_id' | 'updatedAt'>;
export const DEFAULT_PREFS: Prefs = { replies: true, mentions: false, announcements: true, digest: 'weekly' };

/** One e-mail about one post to one person, inserted before it is queued: a post never notifies anyone twice. */
export type NoticeDoc = { _id: string; userId: string; postId: string; kind: NoticeKind; at: Date };

/** One digest per person and period (`<userId>:<frequency>:<period number>`), covering (since, until]. */
export type DigestDoc = { _id: string; userId: string; since: Date; until: Date; items: number };

const prefsSchema = new Schema<PrefsDoc>(
  {
    _id: { type: String, required: true },
    replies: { type: Boolean, required: true },
    mentions: { type: Boolean, required: true },
    announcements: { type: Boolean, required: true },
    digest: { type: String, enum: DIGEST_CHOICES, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'discussion_prefs', versionKey: false },
);
const noticeSchema = new Schema<NoticeDoc>(
  { _id: { type: String, required: true }, userId: { type: String, required: true }, postId: { type: String, required: true }, kind: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'discussion_notices', versionKey: false },
);
const digestSchema = new Schema<DigestDoc>(
  { _id: { type: String, required: true }, userId: { type: String, required: true }, since: { type: Date, required: true }, until: { type: Date, required: true }, items: { type: Number, required: true } },
  { collection: 'discussion_digests', versionKey: false },
);
digestSchema.index({ userId: 1, until: -1 });

export function notificationModels(connection: Connection) {
  return {
    Prefs: modelOn(connection, 'DiscussionPrefs', prefsSchema),
    Notice: modelOn(connection, 'DiscussionNotice', noticeSchema),
    Digest: modelOn(connection, 'DiscussionDigest', digestSchema),
  };
}
export type NotificationModels = ReturnType<typeof notificationModels>;
