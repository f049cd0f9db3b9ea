import type { Request, Response } from 'express';
import { NotFoundError } from '../../platform/errors';
import { setFlash } from '../../platform/flash';
import { currentLanguage } from '../../platform/i18n';
import { parseForm } from '../../platform/validation';
import { accessOf, threadOf, viewerOf } from './access';
import { formatWhen } from './dates';
import { reasonSchema } from './discussion.schemas';
import type { ModerationService, Toggle } from './moderation.service';
import { discussionPath, threadPath } from './view-models';

export function moderationController(deps: { moderation: ModerationService }) {
  const { moderation } = deps;

  /** The post named in the form (`postId`), or the thread itself when none is named. */
  async function postFrom(res: Response, postId: string) {
    if (!postId) return undefined;
    const post = await moderation.postOf(threadOf(res), postId);
    if (!post) throw new NotFoundError();
    return post;
  }

  const back = (req: Request, res: Response, key: string) => {
    setFlash(req, { type: 'success', messageKey: `discussion:flash.${key}` });
    res.redirect(303, threadPath(threadOf(res)));
  };

  /** A refused moderation form: the reason is missing or too long. The thread page is not re-rendered for it. */
  const refuse = (req: Request, res: Response, key: string) => {
    setFlash(req, { type: 'error', messageKey: key });
    res.redirect(303, threadPath(threadOf(res)));
  };

  const toggle = (on: Toggle, off: Toggle, field: 'pinned' | 'locked') => async (req: Request, res: Response) => {
    const action = threadOf(res)[field] ? off : on;
    await moderation.toggle(viewerOf(req), accessOf(res), threadOf(res), action);
    back(req, res, action);
  };

  return {
    /** POST /cohorts/:id/discussion/:threadId/pin — pins the thread, or unpins a pinned one */
    pin: toggle('pin', 'unpin', 'pinned'),
    /** POST /cohorts/:id/discussion/:threadId/lock — locks the thread (no more replies), or unlocks it */
    lock: toggle('lock', 'unlock', 'locked'),

    /** POST /cohorts/:id/discussion/:threadId/hide — hides the thread, or one post (`postId`), with a `reason` */
    async hide(req: Request, res: Response) {
      const form = parseForm(reasonSchema, req.body);
      if (!form.ok) return refuse(req, res, form.errors.reason ?? 'discussion:errors.reasonRequired');
      await moderation.hide(viewerOf(req), accessOf(res), threadOf(res), await postFrom(res, form.data.postId), form.data.reason);
      back(req, res, 'hidden');
    },

    /** POST /cohorts/:id/discussion/:threadId/restore — shows a hidden thread or post (`postId`) again */
    async restore(req: Request, res: Response) {
      const postId = typeof req.body?.postId === 'string' ? req.body.postId : '';
      await moderation.restore(viewerOf(req), accessOf(res), threadOf(res), await postFrom(res, postId));
      back(req, res, 'restored');
    },

    /** POST /cohorts/:id/discussion/:threadId/report — a member asks the trainers to look at a post (`postId`, `reason`) */
    async report(req: Request, res: Response) {
      const form = parseForm(reasonSchema, req.body);
      if (!form.ok) return refuse(req, res, form.errors.reason ?? 'discussion:errors.reasonRequired');
      const post = await postFrom(res, form.data.postId || 'none');
      const outcome = await moderation.report(viewerOf(req), accessOf(res), threadOf(res), post!, form.data.reason);
      back(req, res, outcome);
    },

    /** GET /cohorts/:id/discussion/reports — the trainers' queue of open reports */
    async queue(req: Request, res: Response) {
      const access = accessOf(res);
      const lng = currentLanguage(req);
      const items = await moderation.queue(access);
      res.render('discussion/reports', {
        title: 'discussion:reports.title',
        access,
        base: discussionPath(access.cohort.id),
        items: items.map((i) => ({
          id: i.report._id,
          reason: i.report.reason,
          reporter: i.reporter,
          author: i.author,
          when: formatWhen(i.report.createdAt, lng),
          threadTitle: i.thread?.title ?? '—',
          href: i.thread ? `${threadPath(i.thread)}#post-${i.report.postId}` : discussionPath(access.cohort.id),
          postHtml: i.post?.html ?? '',
          postId: i.report.postId,
          threadId: i.report.threadId,
          hidden: i.post?.hidden === true,
        })),
      });
    },

    /** POST /cohorts/:id/discussion/reports/:reportId/resolve — closes a report */
    async resolve(req: Request, res: Response) {
      const access = accessOf(res);
      if (!(await moderation.resolve(viewerOf(req), access, String(req.params.reportId ?? '')))) throw new NotFoundError();
      setFlash(req, { type: 'success', messageKey: 'discussion:flash.resolved' });
      res.redirect(303, `${discussionPath(access.cohort.id)}/reports`);
    },
  };
}
