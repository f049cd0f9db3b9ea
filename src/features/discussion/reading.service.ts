import { Types } from 'mongoose';
import { upsertRacing } from '../../platform/database';
import type { DiscussionModels, PostDoc, ReadDoc, ThreadDoc } from './discussion.models';
import { readKey } from './discussion.models';
import type { CohortAccess, Membership, People, Viewer } from './ports';

export const THREADS_PER_PAGE = 20;
export const POSTS_PER_PAGE = 50;
/** A cohort of 10–16 people shares dozens of practices, not thousands: the SDG filter runs on this many. */
const PRACTICES_READ = 500;

export type ThreadRow = ThreadDoc & { replies: number; unread: boolean; authorName: string };

const pages = (total: number, per: number) => Math.max(1, Math.ceil(total / per));

/**
 * What members read. Every query filters on the leading fields of an index, and a page makes the
 * same number of queries whatever the number of threads: counts and read markers come in one query each.
 */
export function createReadingService(deps: { models: DiscussionModels; membership: Membership; people: People; clock: () => Date }) {
  const { models, membership, people, clock } = deps;
  const { Thread, Post, Read } = models;

  async function rows(viewer: Viewer, threads: ThreadDoc[]): Promise<ThreadRow[]> {
    if (threads.length === 0) return [];
    const ids = threads.map((t) => String(t._id));
    const [counts, reads, authors] = await Promise.all([
      Post.aggregate<{ _id: string; n: number }>([{ $match: { threadId: { $in: ids }, hidden: false } }, { $group: { _id: '$threadId', n: { $sum: 1 } } }]),
      Read.find({ _id: { $in: ids.map((id) => readKey(id, viewer.id)) } }).lean<ReadDoc[]>(),
      people([...new Set(threads.map((t) => t.authorId))]),
    ]);
    const count = new Map(counts.map((c) => [c._id, c.n]));
    const readAt = new Map(reads.map((r) => [r.threadId, r.readAt]));
    return threads.map((t) => {
      const seen = readAt.get(String(t._id));
      return {
        ...t,
        // the opening post is not a reply
        replies: Math.max(0, (count.get(String(t._id)) ?? 1) - 1),
        unread: !seen || seen < t.lastActivityAt,
        authorName: authors.get(t.authorId)?.name ?? '—',
      };
    });
  }

  return {
    /** The cohort's threads: pinned first, then newest activity first, a page at a time. */
    async list(viewer: Viewer, access: CohortAccess, page: number) {
      const cohortId = access.cohort.id;
      const hidden = access.moderator ? [false, true] : [false];
      const base = { cohortId, hidden: { $in: hidden } };
      const [pinned, total, ownHidden] = await Promise.all([
        Thread.find({ ...base, pinned: true }).sort({ lastActivityAt: -1 }).limit(THREADS_PER_PAGE).lean<ThreadDoc[]>(),
        Thread.countDocuments({ ...base, pinned: false }),
        access.moderator || page > 1 ? [] : Thread.find({ cohortId, authorId: viewer.id, hidden: true }).lean<ThreadDoc[]>(),
      ]);
      const current = Math.min(page, pages(total, THREADS_PER_PAGE));
      const rest = await Thread.find({ ...base, pinned: false })
        .sort({ lastActivityAt: -1, _id: -1 })
        .skip((current - 1) * THREADS_PER_PAGE)
        .limit(THREADS_PER_PAGE)
        .lean<ThreadDoc[]>();
      const all = await rows(viewer, [...(current === 1 ? pinned : []), ...ownHidden, ...rest]);
      return { threads: all, page: current, pages: pages(total, THREADS_PER_PAGE) };
    },

    /** The practices shared in the cohort, those serving one SDG when asked. */
    async practices(viewer: Viewer, access: CohortAccess, sdg: number | undefined, page: number) {
      const docs = await Thread.find({ cohortId: access.cohort.id, kind: 'practice' }).sort({ lastActivityAt: -1 }).limit(PRACTICES_READ).lean<ThreadDoc[]>();
      const shown = docs.filter((t) => (access.moderator || !t.hidden || t.authorId === viewer.id) && (!sdg || t.practice?.sdgs.includes(sdg)));
      const current = Math.min(page, pages(shown.length, THREADS_PER_PAGE));
      const slice = shown.slice((current - 1) * THREADS_PER_PAGE, current * THREADS_PER_PAGE);
      return { threads: await rows(viewer, slice), page: current, pages: pages(shown.length, THREADS_PER_PAGE) };
    },

    /** A thread this viewer may read (hidden ones only for moderators and their author), or undefined. */
    async thread(viewer: Viewer, access: CohortAccess, threadId: string): Promise<ThreadDoc | undefined> {
      if (!Types.ObjectId.isValid(threadId) || String(new Types.ObjectId(threadId)) !== threadId) return undefined;
      const thread = await Thread.findById(threadId).lean<ThreadDoc>();
      if (!thread || thread.cohortId !== access.cohort.id) return undefined;
      if (thread.hidden && !access.moderator && thread.authorId !== viewer.id) return undefined;
      return thread;
    },

    /** A page of a thread's posts, its authors, and the thread marked read for this viewer. */
    async posts(viewer: Viewer, access: CohortAccess, thread: ThreadDoc, page: number) {
      const threadId = String(thread._id);
      const total = await Post.countDocuments({ threadId });
      const current = Math.min(page, pages(total, POSTS_PER_PAGE));
      const docs = await Post.find({ threadId })
        .sort({ createdAt: 1, _id: 1 })
        .skip((current - 1) * POSTS_PER_PAGE)
        .limit(POSTS_PER_PAGE)
        .lean<PostDoc[]>();
      const visible = docs.filter((p) => !p.hidden || access.moderator || p.authorId === viewer.id);
      const authors = await people([...new Set(visible.map((p) => p.authorId))]);
      await upsertRacing(() => Read.updateOne({ _id: readKey(threadId, viewer.id) }, { $set: { threadId, userId: viewer.id, readAt: clock() } }, { upsert: true }));
      return { posts: visible, authors, page: current, pages: pages(total, POSTS_PER_PAGE) };
    },

    /** How many visible posts the viewer's cohorts have about a lesson, and where to read them. */
    async aboutLesson(userId: string, moduleId: string, lessonId: string) {
      const cohortIds = await membership.cohortIdsOf(userId);
      if (cohortIds.length === 0) return undefined;
      const count = await Post.countDocuments({ cohortId: { $in: cohortIds }, lessonKey: `${moduleId}/${lessonId}`, hidden: false });
      return { count, cohortId: cohortIds[0]! };
    },
  };
}
export type ReadingService = ReturnType<typeof createReadingService>;
