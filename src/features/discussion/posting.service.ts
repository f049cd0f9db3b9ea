import crypto from 'node:crypto';
import { Types } from 'mongoose';
import type { AttemptLimiter } from '../../platform/attempt-limiter';
import { isDuplicateKey } from '../../platform/database';
import type { ContentService } from '../content';
import type { DiscussionModels, Practice, PostDoc, ThreadDoc, ThreadKind } from './discussion.models';
import { EDIT_WINDOW_MS, POST_LIMITS } from './discussion.schemas';
import type { Notifier } from './notifier';
import type { CohortAccess, Membership, People, Viewer } from './ports';
import { mentionedIn, renderPost } from './writing';

export type NewThread = { kind: ThreadKind; title: string; body: string; moduleId: string; lessonId: string; token: string; practice?: Omit<Practice, 'sdgs'> };
export type Written = { ok: true; threadId: string; postId: string } | { ok: false; error: 'limited' | 'locked' | 'about' | 'kind' };
export type Edited = 'edited' | 'closed' | 'notFound';

const submissionOf = (userId: string, token: string) => `${userId}:${token || crypto.randomBytes(12).toString('hex')}`;

export function createPostingService(deps: {
  models: DiscussionModels;
  membership: Membership;
  people: People;
  content: ContentService;
  limiter: AttemptLimiter;
  notifier: Notifier;
  clock: () => Date;
}) {
  const { models, membership, people, content, limiter, notifier, clock } = deps;
  const { Thread, Post, Revision } = models;

  const takeSlot = (userId: string) => limiter.take(POST_LIMITS.map((l) => ({ key: `discussion-post:${userId}:${l.name}`, max: l.max, windowMs: l.windowMs })));

  /** The module and lesson a thread is about, checked against the published course. */
  async function about(moduleId: string, lessonId: string): Promise<{ moduleId?: string; lessonId?: string } | undefined> {
    if (!moduleId && !lessonId) return {};
    const modules = await content.modules();
    const module = moduleId ? modules.find((m) => m.moduleId === moduleId) : modules.find((m) => m.lessons.some((l) => l.id === lessonId));
    if (!module) return undefined;
    if (!lessonId) return { moduleId: module.moduleId };
    return module.lessons.some((l) => l.id === lessonId) ? { moduleId: module.moduleId, lessonId } : undefined;
  }

  /** The people of the cohort a text mentions (members and trainers, never the writer). */
  async function mentions(cohortId: string, body: string, writerId: string): Promise<string[]> {
    if (!body.includes('@')) return [];
    const ids = [...new Set([...(await membership.memberIds(cohortId)), ...(await membership.trainerIds(cohortId))])].filter((id) => id !== writerId);
    const found = mentionedIn(body, [...(await people(ids)).values()]);
    return found.map((p) => p.id);
  }

  async function insertPost(doc: Omit<PostDoc, '_id'>): Promise<{ post: PostDoc; fresh: boolean }> {
    try {
      const created = await Post.create(doc);
      return { post: created.toObject(), fresh: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return { post: (await Post.findOne({ submission: doc.submission }).lean<PostDoc>())!, fresh: false };
    }
  }

  return {
    /** A new thread and its opening post; the same form sent twice makes one thread. */
    async startThread(viewer: Viewer, access: CohortAccess, input: NewThread): Promise<Written> {
      if (input.kind === 'announcement' && !access.moderator) return { ok: false, error: 'kind' };
      const target = await about(input.moduleId, input.lessonId);
      if (!target) return { ok: false, error: 'about' };
      const submission = submissionOf(viewer.id, input.token);
      const existing = await Thread.findOne({ submission }).lean<ThreadDoc>();
      if (!existing && !(await takeSlot(viewer.id)).allowed) return { ok: false, error: 'limited' };
      const now = clock();
      let thread = existing;
      if (!thread) {
        const sdgs = input.practice ? [...new Set(input.practice.targets.map((t) => Number(t.split('.')[0])))].sort((a, b) => a - b) : [];
        const doc: Omit<ThreadDoc, '_id'> = {
          cohortId: access.cohort.id,
          authorId: viewer.id,
          kind: input.kind,
          title: input.title,
          ...target,
          ...(input.practice ? { practice: { ...input.practice, sdgs } } : {}),
          pinned: false,
          locked: false,
          hidden: false,
          submission,
          createdAt: now,
          lastActivityAt: now,
        };
        try {
          thread = (await Thread.create({ ...doc, _id: new Types.ObjectId() })).toObject();
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          thread = (await Thread.findOne({ submission }).lean<ThreadDoc>())!;
        }
      }
      const threadId = String(thread._id);
      const { post, fresh } = await insertPost({
        threadId,
        cohortId: access.cohort.id,
        authorId: viewer.id,
        body: input.body,
        html: renderPost(input.body),
        opening: true,
        ...(thread.lessonId ? { lessonKey: `${thread.moduleId}/${thread.lessonId}` } : {}),
        hidden: false,
        submission: `${submission}:opening`,
        createdAt: thread.createdAt,
      });
      if (fresh) {
        const mentioned = await mentions(access.cohort.id, input.body, viewer.id);
        await notifier.written({ access, thread, post, mentioned });
      }
      return { ok: true, threadId, postId: String(post._id) };
    },

    /** A reply; a locked thread takes none. */
    async reply(viewer: Viewer, access: CohortAccess, thread: ThreadDoc, input: { body: string; token: string }): Promise<Written> {
      if (thread.locked) return { ok: false, error: 'locked' };
      const submission = submissionOf(viewer.id, input.token);
      const existing = await Post.findOne({ submission }).lean<PostDoc>();
      if (existing) return { ok: true, threadId: existing.threadId, postId: String(existing._id) };
      if (!(await takeSlot(viewer.id)).allowed) return { ok: false, error: 'limited' };
      const now = clock();
      const { post, fresh } = await insertPost({
        threadId: String(thread._id),
        cohortId: thread.cohortId,
        authorId: viewer.id,
        body: input.body,
        html: renderPost(input.body),
        opening: false,
        ...(thread.lessonId ? { lessonKey: `${thread.moduleId}/${thread.lessonId}` } : {}),
        hidden: false,
        submission,
        createdAt: now,
      });
      if (fresh) {
        // not a counter: the latest time wins, and $max keeps a later one from being overwritten
        await Thread.updateOne({ _id: thread._id }, { $max: { lastActivityAt: now } });
        const mentioned = await mentions(thread.cohortId, input.body, viewer.id);
        await notifier.written({ access, thread, post, mentioned });
      }
      return { ok: true, threadId: String(thread._id), postId: String(post._id) };
    },

    /** The author changes a post within EDIT_WINDOW_MS of writing it; the text it had is kept as a revision. */
    async edit(viewer: Viewer, thread: ThreadDoc, postId: string, body: string): Promise<Edited> {
      const post = Types.ObjectId.isValid(postId) ? await Post.findById(postId).lean<PostDoc>() : null;
      if (!post || post.threadId !== String(thread._id) || post.authorId !== viewer.id) return 'notFound';
      const now = clock();
      if (now.getTime() - post.createdAt.getTime() > EDIT_WINDOW_MS) return 'closed';
      await Revision.create({ postId, body: post.body, savedAt: post.editedAt ?? post.createdAt, replacedAt: now });
      await Post.updateOne({ _id: post._id }, { $set: { body, html: renderPost(body), editedAt: now } });
      return 'edited';
    },

    async editablePost(viewer: Viewer, thread: ThreadDoc, postId: string) {
      const post = Types.ObjectId.isValid(postId) ? await Post.findById(postId).lean<PostDoc>() : null;
      if (!post || post.threadId !== String(thread._id) || post.authorId !== viewer.id) return undefined;
      return { post, open: clock().getTime() - post.createdAt.getTime() <= EDIT_WINDOW_MS };
    },
  };
}
export type PostingService = ReturnType<typeof createPostingService>;
