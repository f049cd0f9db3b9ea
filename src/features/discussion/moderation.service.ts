import { Types } from 'mongoose';
import { isDuplicateKey } from '../../platform/database';
import type { AuditLog } from '../audit';
import type { DiscussionModels, PostDoc, ReportDoc, ThreadDoc } from './discussion.models';
import type { CohortAccess, People, Viewer } from './ports';

export type Toggle = 'pin' | 'unpin' | 'lock' | 'unlock';

/**
 * What the cohort's trainers (and admins) do to keep the discussion useful, and the members'
 * reports that ask them to. Every action is in the audit log, with the cohort, the thread and the post.
 */
export function createModerationService(deps: { models: DiscussionModels; audit: AuditLog; people: People; clock: () => Date }) {
  const { models, audit, people, clock } = deps;
  const { Thread, Post, Report } = models;

  const record = (viewer: Viewer, action: string, access: CohortAccess, thread: ThreadDoc, extra: Record<string, string> = {}) =>
    audit.record({
      action: `discussion.${action}`,
      actor: { id: viewer.id, email: viewer.email },
      target: { id: thread.authorId },
      details: { cohort: access.cohort.name, cohortId: access.cohort.id, thread: thread.title, threadId: String(thread._id), ...extra },
    });

  async function postOf(thread: ThreadDoc, postId: string): Promise<PostDoc | undefined> {
    if (!Types.ObjectId.isValid(postId)) return undefined;
    const post = await Post.findById(postId).lean<PostDoc>();
    return post && post.threadId === String(thread._id) ? post : undefined;
  }

  return {
    postOf,

    /** Pin or lock a thread, or undo it. */
    async toggle(viewer: Viewer, access: CohortAccess, thread: ThreadDoc, action: Toggle): Promise<void> {
      const set = { pin: { pinned: true }, unpin: { pinned: false }, lock: { locked: true }, unlock: { locked: false } }[action];
      await Thread.updateOne({ _id: thread._id }, { $set: set });
      await record(viewer, { pin: 'pinned', unpin: 'unpinned', lock: 'locked', unlock: 'unlocked' }[action], access, thread);
    },

    /** Hides a thread, or one post of it, with the reason its author will read; restoring shows it again. */
    async hide(viewer: Viewer, access: CohortAccess, thread: ThreadDoc, post: PostDoc | undefined, reason: string): Promise<void> {
      const info = { reason, by: viewer.id, at: clock() };
      if (post) await Post.updateOne({ _id: post._id }, { $set: { hidden: true, hiddenInfo: info } });
      else {
        await Thread.updateOne({ _id: thread._id }, { $set: { hidden: true, hiddenInfo: info } });
        await Post.updateMany({ threadId: String(thread._id), opening: true }, { $set: { hidden: true, hiddenInfo: info } });
      }
      await record(viewer, 'hidden', access, thread, { reason, ...(post ? { postId: String(post._id) } : {}) });
    },

    async restore(viewer: Viewer, access: CohortAccess, thread: ThreadDoc, post: PostDoc | undefined): Promise<void> {
      if (post) await Post.updateOne({ _id: post._id }, { $set: { hidden: false }, $unset: { hiddenInfo: '' } });
      else {
        await Thread.updateOne({ _id: thread._id }, { $set: { hidden: false }, $unset: { hiddenInfo: '' } });
        await Post.updateMany({ threadId: String(thread._id), opening: true }, { $set: { hidden: false }, $unset: { hiddenInfo: '' } });
      }
      await record(viewer, 'restored', access, thread, post ? { postId: String(post._id) } : {});
    },

    /** A member asks the trainers to look at a post; reporting the same post twice keeps one report. */
    async report(viewer: Viewer, access: CohortAccess, thread: ThreadDoc, post: PostDoc, reason: string): Promise<'reported' | 'already'> {
      try {
        await Report.create({
          _id: `${post._id}:${viewer.id}`,
          cohortId: access.cohort.id,
          threadId: String(thread._id),
          postId: String(post._id),
          reporterId: viewer.id,
          reason,
          state: 'open',
          createdAt: clock(),
        });
      } catch (err) {
        if (isDuplicateKey(err)) return 'already';
        throw err;
      }
      await record(viewer, 'reported', access, thread, { postId: String(post._id), reason });
      return 'reported';
    },

    /** The open reports of a cohort, oldest first, with what was reported. */
    async queue(access: CohortAccess) {
      const reports = await Report.find({ cohortId: access.cohort.id, state: 'open' }).sort({ createdAt: 1 }).limit(200).lean<ReportDoc[]>();
      const postIds = [...new Set(reports.map((r) => r.postId))];
      const threadIds = [...new Set(reports.map((r) => r.threadId))];
      const [posts, threads] = await Promise.all([
        postIds.length ? Post.find({ _id: { $in: postIds.map((id) => new Types.ObjectId(id)) } }).lean<PostDoc[]>() : [],
        threadIds.length ? Thread.find({ _id: { $in: threadIds.map((id) => new Types.ObjectId(id)) } }).lean<ThreadDoc[]>() : [],
      ]);
      const names = await people([...new Set([...reports.map((r) => r.reporterId), ...posts.map((p) => p.authorId)])]);
      const postById = new Map(posts.map((p) => [String(p._id), p]));
      const threadById = new Map(threads.map((t) => [String(t._id), t]));
      return reports.map((r) => {
        const post = postById.get(r.postId);
        return { report: r, post, thread: threadById.get(r.threadId), reporter: names.get(r.reporterId)?.name ?? '—', author: post ? (names.get(post.authorId)?.name ?? '—') : '—' };
      });
    },

    /** Closes a report (the post stays as it is unless it was hidden). */
    async resolve(viewer: Viewer, access: CohortAccess, reportId: string): Promise<boolean> {
      const report = await Report.findById(reportId).lean<ReportDoc>();
      if (!report || report.cohortId !== access.cohort.id || report.state !== 'open') return false;
      await Report.updateOne({ _id: reportId }, { $set: { state: 'resolved', resolvedAt: clock() } });
      const thread = await Thread.findById(report.threadId).lean<ThreadDoc>();
      if (thread) await record(viewer, 'reportResolved', access, thread, { postId: report.postId });
      return true;
    },
  };
}
export type ModerationService = ReturnType<typeof createModerationService>;
