import crypto from 'node:crypto';
import type { PostDoc, ThreadDoc } from './discussion.models';
import { EDIT_WINDOW_MS } from './discussion.schemas';
import { formatWhen } from './dates';
import type { Person } from './ports';
import type { ThreadRow } from './reading.service';
import { safeLink } from './writing';

/** A fresh token for a form, so that sending it twice makes one post. */
export const formToken = () => crypto.randomBytes(16).toString('base64url');

export const discussionPath = (cohortId: string) => `/cohorts/${cohortId}/discussion`;
export const threadPath = (t: Pick<ThreadDoc, 'cohortId' | '_id'>) => `/cohorts/${t.cohortId}/discussion/${t._id}`;

export function threadRowView(row: ThreadRow, lng: string) {
  return {
    id: String(row._id),
    href: threadPath(row),
    title: row.title,
    kind: row.kind,
    authorName: row.authorName,
    replies: row.replies,
    unread: row.unread,
    pinned: row.pinned,
    locked: row.locked,
    hidden: row.hidden,
    hiddenReason: row.hiddenInfo?.reason,
    practice: row.practice ? { ...row.practice, link: row.practice.link ? safeLink(row.practice.link) : undefined } : undefined,
    lastActivity: formatWhen(row.lastActivityAt, lng),
    lastActivityIso: row.lastActivityAt.toISOString(),
  };
}

export function postView(post: PostDoc, author: Person | undefined, viewerId: string, lng: string, now: Date) {
  return {
    id: String(post._id),
    authorName: author?.name ?? '—',
    html: post.html,
    opening: post.opening,
    mine: post.authorId === viewerId,
    editable: post.authorId === viewerId && now.getTime() - post.createdAt.getTime() <= EDIT_WINDOW_MS,
    hidden: post.hidden,
    hiddenReason: post.hiddenInfo?.reason,
    when: formatWhen(post.createdAt, lng),
    whenIso: post.createdAt.toISOString(),
    edited: post.editedAt ? formatWhen(post.editedAt, lng) : undefined,
  };
}
