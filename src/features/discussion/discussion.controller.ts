import type { Request, Response } from 'express';
import { NotFoundError } from '../../platform/errors';
import { setFlash } from '../../platform/flash';
import { currentLanguage } from '../../platform/i18n';
import { type FormErrors, type FormValues, keptValues, parseForm } from '../../platform/validation';
import type { ContentService } from '../content';
import type { PlanSharing } from '../plans';
import { accessOf, threadOf, viewerOf } from './access';
import { editSchema, listQuery, newThreadSchema, practiceSchema, replySchema, sharePlanSchema } from './discussion.schemas';
import type { PostingService, Written } from './posting.service';
import type { ReadingService } from './reading.service';
import { discussionPath, formToken, postView, threadPath, threadRowView } from './view-models';

type Form = { values: FormValues; errors: FormErrors };
const STATUS = { limited: 429, locked: 409, about: 422, kind: 403 } as const;
const FIELD = { limited: 'body', locked: 'body', about: 'moduleId', kind: 'kind' } as const;

export function discussionController(deps: { reading: ReadingService; posting: PostingService; content: ContentService; plans?: PlanSharing; clock: () => Date }) {
  const { reading, posting, content, plans, clock } = deps;

  async function renderList(req: Request, res: Response, status: number, form?: Form, planForm?: Form) {
    const access = accessOf(res);
    const viewer = viewerOf(req);
    const lng = currentLanguage(req);
    const query = listQuery.parse(req.query);
    const practicesOnly = query.kind === 'practice' || query.sdg !== undefined;
    const list = practicesOnly ? await reading.practices(viewer, access, query.sdg, query.page) : await reading.list(viewer, access, query.page);
    const modules = (await content.modules()).map((m) => ({ id: m.moduleId, title: m.title[lng], lessons: m.lessons.map((l) => ({ id: l.id, title: l.title[lng] })) }));
    const values = form?.values ?? { kind: 'discussion', moduleId: String(req.query.moduleId ?? ''), lessonId: String(req.query.lessonId ?? '') };
    res.status(status).render('discussion/list', {
      title: 'discussion:list.title',
      pageTitle: req.t('discussion:list.heading', { cohort: access.cohort.name }),
      access,
      base: discussionPath(access.cohort.id),
      threads: list.threads.map((r) => threadRowView(r, lng)),
      page: list.page,
      pages: list.pages,
      practicesOnly,
      sdg: query.sdg,
      modules,
      form: { values: { token: formToken(), ...values }, errors: form?.errors ?? {} },
      planSteps: plans && !access.moderator ? await plans.steps(viewer.id, lng) : [],
      planForm: { values: { token: formToken(), ...(planForm?.values ?? {}) }, errors: planForm?.errors ?? {} },
    });
  }

  async function renderThread(req: Request, res: Response, status: number, form?: Form) {
    const access = accessOf(res);
    const thread = threadOf(res);
    const viewer = viewerOf(req);
    const lng = currentLanguage(req);
    const page = req.query.page === 'last' ? 10_000 : listQuery.parse(req.query).page;
    const { posts, authors, page: current, pages } = await reading.posts(viewer, access, thread, page);
    const now = clock();
    const about = thread.moduleId ? (await content.getModule(thread.moduleId)) : undefined;
    const lesson = about?.lessons.find((l) => l.id === thread.lessonId);
    res.status(status).render('discussion/thread', {
      title: 'discussion:thread.title',
      pageTitle: thread.title,
      access,
      base: discussionPath(access.cohort.id),
      thread: { ...threadRowView({ ...thread, replies: 0, unread: false, authorName: '' }, lng), authorId: thread.authorId },
      about: about ? { title: about.title[lng], href: lesson ? `/modules/${about.moduleId}/lessons/${lesson.id}` : `/modules/${about.moduleId}`, lesson: lesson?.title[lng] } : undefined,
      posts: posts.map((p) => postView(p, authors.get(p.authorId), viewer.id, lng, now)),
      page: current,
      pages,
      form: { values: { token: formToken(), ...(form?.values ?? {}) }, errors: form?.errors ?? {} },
    });
  }

  function refused(req: Request, res: Response, result: Extract<Written, { ok: false }>, values: FormValues, again: typeof renderList) {
    return again(req, res, STATUS[result.error], { values, errors: { [FIELD[result.error]]: `discussion:errors.${result.error}` } });
  }

  return {
    /** GET /cohorts/:id/discussion — the cohort's threads, or its practices (?kind=practice&sdg=) */
    list: (req: Request, res: Response) => renderList(req, res, 200),

    /** POST /cohorts/:id/discussion — a new thread: a discussion, a practice, or (trainers) an announcement */
    async create(req: Request, res: Response) {
      const form = parseForm(newThreadSchema, req.body);
      const practice = form.ok && form.data.kind === 'practice' ? parseForm(practiceSchema, req.body) : undefined;
      if (!form.ok || (practice && !practice.ok)) {
        const errors = { ...(form.ok ? {} : form.errors), ...(practice && !practice.ok ? practice.errors : {}) };
        return renderList(req, res, 422, { values: keptValues(req.body), errors });
      }
      const fields = practice?.ok ? { ...practice.data, link: practice.data.link || undefined } : undefined;
      const result = await posting.startThread(viewerOf(req), accessOf(res), { ...form.data, ...(fields ? { practice: fields } : {}) });
      if (!result.ok) return refused(req, res, result, keptValues(req.body), renderList);
      setFlash(req, { type: 'success', messageKey: 'discussion:flash.started' });
      res.redirect(303, `${discussionPath(accessOf(res).cohort.id)}/${result.threadId}`);
    },

    /** POST /cohorts/:id/discussion/plan — the learner's plan, or one step of it, posted for comments */
    async sharePlan(req: Request, res: Response) {
      const form = parseForm(sharePlanSchema, req.body);
      if (!form.ok) return renderList(req, res, 422, undefined, { values: keptValues(req.body), errors: form.errors });
      const text = plans ? await plans.markdown(req.user!.id, currentLanguage(req), form.data.step) : undefined;
      if (!text) return renderList(req, res, 422, undefined, { values: keptValues(req.body), errors: { step: 'discussion:errors.emptyPlan' } });
      const body = [form.data.note, text].filter(Boolean).join('\n\n').slice(0, 10_000);
      const result = await posting.startThread(viewerOf(req), accessOf(res), { kind: 'plan', title: form.data.title, body, moduleId: '', lessonId: '', token: form.data.token });
      if (!result.ok) return renderList(req, res, STATUS[result.error], undefined, { values: keptValues(req.body), errors: { step: `discussion:errors.${result.error}` } });
      setFlash(req, { type: 'success', messageKey: 'discussion:flash.planShared' });
      res.redirect(303, `${discussionPath(accessOf(res).cohort.id)}/${result.threadId}`);
    },

    /** GET /cohorts/:id/discussion/:threadId — a thread and its replies; marks it read */
    show: (req: Request, res: Response) => renderThread(req, res, 200),

    /** POST /cohorts/:id/discussion/:threadId/replies — a reply */
    async reply(req: Request, res: Response) {
      const form = parseForm(replySchema, req.body);
      if (!form.ok) return renderThread(req, res, 422, form);
      const result = await posting.reply(viewerOf(req), accessOf(res), threadOf(res), form.data);
      if (!result.ok) return refused(req, res, result, keptValues(req.body), renderThread);
      setFlash(req, { type: 'success', messageKey: 'discussion:flash.replied' });
      res.redirect(303, `${threadPath(threadOf(res))}?page=last#post-${result.postId}`);
    },

    /** GET /cohorts/:id/discussion/:threadId/posts/:postId/edit — the author's edit form (15 minutes) */
    async editForm(req: Request, res: Response) {
      const found = await posting.editablePost(viewerOf(req), threadOf(res), String(req.params.postId));
      if (!found) throw new NotFoundError();
      res.status(found.open ? 200 : 403).render('discussion/edit', {
        title: 'discussion:edit.title',
        thread: { title: threadOf(res).title, href: threadPath(threadOf(res)) },
        postId: String(found.post._id),
        open: found.open,
        form: { values: { body: found.post.body }, errors: found.open ? {} : { body: 'discussion:errors.editClosed' } },
      });
    },

    /** POST /cohorts/:id/discussion/:threadId/posts/:postId/edit — saves the edit, keeps the old text as a revision */
    async edit(req: Request, res: Response) {
      const thread = threadOf(res);
      const form = parseForm(editSchema, req.body);
      const render = (status: number, errors: FormErrors) =>
        res.status(status).render('discussion/edit', { title: 'discussion:edit.title', thread: { title: thread.title, href: threadPath(thread) }, postId: String(req.params.postId), open: status !== 403, form: { values: keptValues(req.body), errors } });
      if (!form.ok) return render(422, form.errors);
      const outcome = await posting.edit(viewerOf(req), thread, String(req.params.postId), form.data.body);
      if (outcome === 'notFound') return render(404, { body: 'errors:notFound' });
      if (outcome === 'closed') return render(403, { body: 'discussion:errors.editClosed' });
      setFlash(req, { type: 'success', messageKey: 'discussion:flash.edited' });
      res.redirect(303, `${threadPath(thread)}#post-${req.params.postId}`);
    },
  };
}
