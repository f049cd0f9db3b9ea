import type { Request, Response } from 'express';
import { NotFoundError } from '../../platform/errors';
import { setFlash } from '../../platform/flash';
import { currentLanguage } from '../../platform/i18n';
import { uploadRefusal } from '../../platform/uploads';
import { type FormErrors, type FormValues, parseForm } from '../../platform/validation';
import { cohortOf } from './cohort-access';
import { cohortPath, cohortView } from './cohort-view';
import { createCohortForm, emailForm, enrolForm, joinForm } from './cohorts.schemas';
import type { CohortsService, EnrolReport } from './cohorts.service';
import { type MalformedRow, parseEmailList } from './email-list';

type Deps = { cohorts: CohortsService; baseUrl: string; clock: () => Date };
type Form = { values: FormValues; errors: FormErrors };
type Source = 'pasted' | 'file';
type Report = EnrolReport<{ line: number; email: string; source: Source }> & {
  malformed: (MalformedRow & { source: Source })[];
  duplicates: number;
};

const UPLOAD_ERRORS: Record<string, string> = {
  NOT_ALLOWED: 'cohorts:errors.fileType',
  TOO_LARGE: 'cohorts:errors.fileTooLarge',
  MALFORMED: 'cohorts:errors.fileUnreadable',
};

const emptyForm = (values: FormValues = {}): Form => ({ values, errors: {} });

/** An uploaded list as text: UTF-8 (with or without BOM), else the Windows code page older Excel saves in. */
export function decodeText(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

export function cohortsController(deps: Deps) {
  const { cohorts, baseUrl, clock } = deps;

  async function renderList(req: Request, res: Response, status: number, form: Form) {
    res.status(status).render('cohorts/list', {
      title: 'cohorts:list.title',
      cohorts: (await cohorts.listFor(req.user!)).map((c) => ({ ...cohortView(c, baseUrl, clock()), enrolled: c.enrolled })),
      form,
    });
  }

  async function renderManage(res: Response, status: number, page: { enrol?: Form; trainer?: Form; report?: Report } = {}) {
    const cohort = cohortOf(res);
    res.status(status).render('cohorts/manage', {
      title: 'cohorts:manage.title',
      pageTitle: cohort.name,
      cohort: cohortView(cohort, baseUrl, clock()),
      trainers: await cohorts.trainersOf(cohort.id),
      enrol: page.enrol ?? emptyForm(),
      trainer: page.trainer ?? emptyForm(),
      report: page.report,
    });
  }

  function renderJoin(res: Response, status: number, form: Form) {
    res.status(status).render('cohorts/join', { title: 'cohorts:join.title', form });
  }

  return {
    /** GET /trainer/cohorts — the cohorts this trainer runs, and the form to start one */
    async list(req: Request, res: Response) {
      await renderList(req, res, 200, emptyForm({ language: currentLanguage(req) }));
    },

    /** POST /trainer/cohorts — start a cohort; its join code is made at once */
    async create(req: Request, res: Response) {
      const form = parseForm(createCohortForm, req.body);
      if (!form.ok) return renderList(req, res, 422, form);
      const cohort = await cohorts.create(req.user!, form.data);
      setFlash(req, { type: 'success', messageKey: 'cohorts:flash.created', vars: { name: cohort.name } });
      res.redirect(303, cohortPath(cohort.id));
    },

    /** GET /cohorts/join — the form where a learner types the code (the join link fills it in) */
    showJoin(req: Request, res: Response) {
      const code = typeof req.query.code === 'string' ? req.query.code.slice(0, 40) : '';
      renderJoin(res, 200, emptyForm({ code }));
    },

    /** POST /cohorts/join — join the cohort whose code this is */
    async join(req: Request, res: Response) {
      const form = parseForm(joinForm, req.body);
      if (!form.ok) return renderJoin(res, 422, form);
      const outcome = await cohorts.join(req.user!.id, form.data.code);
      const values = { code: form.data.code };
      if (outcome.status === 'unknown') return renderJoin(res, 422, { values, errors: { code: 'cohorts:errors.codeUnknown' } });
      if (outcome.status === 'expired') return renderJoin(res, 422, { values, errors: { code: 'cohorts:errors.codeExpired' } });
      if (outcome.status === 'limited') return renderJoin(res, 429, { values, errors: { code: 'cohorts:errors.tooManyCodes' } });
      const key = outcome.status === 'joined' ? 'cohorts:flash.joined' : 'cohorts:flash.alreadyJoined';
      setFlash(req, { type: outcome.status === 'joined' ? 'success' : 'info', messageKey: key, vars: { name: outcome.cohort.name } });
      res.redirect(303, '/dashboard');
    },

    /** GET /trainer/cohorts/:id/manage — join code, enrolment from a list, trainers */
    async manage(_req: Request, res: Response) {
      await renderManage(res, 200);
    },

    /** POST /trainer/cohorts/:id/enrol — enrol the accounts behind a pasted or uploaded list of e-mails */
    async enrol(req: Request, res: Response) {
      const form = parseForm(enrolForm, req.body);
      const pasted = form.ok ? form.data.emails : '';
      const errors: FormErrors = form.ok ? {} : { emails: form.errors.emails! };
      const uploadError = UPLOAD_ERRORS[uploadRefusal(res.locals) ?? ''];
      const file = req.file ? decodeText(req.file.buffer) : '';
      if (uploadError) errors.file = uploadError;
      else if (file === undefined) errors.file = 'cohorts:errors.fileNotText';
      if (Object.keys(errors).length === 0 && !pasted.trim() && !file?.trim()) errors.emails = 'cohorts:errors.listEmpty';
      const lists = [
        { source: 'pasted' as const, list: parseEmailList(pasted) },
        { source: 'file' as const, list: parseEmailList(file ?? '') },
      ];
      for (const { source, list } of lists) if (!list.ok) errors[source === 'pasted' ? 'emails' : 'file'] = 'cohorts:errors.listTooLong';
      if (Object.keys(errors).length > 0) return renderManage(res, 422, { enrol: { values: { emails: pasted.slice(0, 100_000) }, errors } });

      const entries = new Map<string, { line: number; email: string; source: Source }>();
      const malformed: Report['malformed'] = [];
      let duplicates = 0;
      for (const { source, list } of lists) {
        if (!list.ok) continue;
        malformed.push(...list.malformed.map((m) => ({ ...m, source })));
        duplicates += list.duplicates;
        for (const e of list.entries) {
          if (entries.has(e.email)) duplicates++;
          else entries.set(e.email, { ...e, source });
        }
      }
      const result = await cohorts.enrol(cohortOf(res).id, [...entries.values()]);
      await renderManage(res, 200, { report: { ...result, malformed, duplicates } });
    },

    /** POST /trainer/cohorts/:id/trainers — another trainer joins this cohort's trainers */
    async addTrainer(req: Request, res: Response) {
      const cohort = cohortOf(res);
      const form = parseForm(emailForm, req.body);
      if (!form.ok) return renderManage(res, 422, { trainer: form });
      const outcome = await cohorts.addTrainer(req.user!, cohort, form.data.email);
      if (outcome === 'unknown' || outcome === 'notTrainer') {
        const error = outcome === 'unknown' ? 'cohorts:errors.trainerUnknown' : 'cohorts:errors.notATrainer';
        return renderManage(res, 422, { trainer: { values: { email: form.data.email }, errors: { email: error } } });
      }
      const key = outcome === 'added' ? 'cohorts:flash.trainerAdded' : 'cohorts:flash.trainerAlready';
      setFlash(req, { type: 'success', messageKey: key, vars: { email: form.data.email } });
      res.redirect(303, `${cohortPath(cohort.id)}/manage`);
    },

    /** POST /trainer/cohorts/:id/trainers/:userId/remove — a trainer leaves the cohort (never the last one) */
    async removeTrainer(req: Request, res: Response) {
      const cohort = cohortOf(res);
      const outcome = await cohorts.removeTrainer(req.user!, cohort, String(req.params.userId ?? ''));
      if (outcome === 'notFound') throw new NotFoundError();
      const flash = {
        removed: { type: 'success', messageKey: 'cohorts:flash.trainerRemoved' },
        last: { type: 'error', messageKey: 'cohorts:flash.lastTrainer' },
      } as const;
      if (outcome === 'removed' || outcome === 'last') setFlash(req, flash[outcome]);
      const leftOwn = outcome === 'removed' && req.params.userId === req.user!.id && !(await cohorts.findFor(req.user!, cohort.id));
      res.redirect(303, leftOwn ? '/trainer/cohorts' : `${cohortPath(cohort.id)}/manage`);
    },

    /** POST /trainer/cohorts/:id/code — a new join code; the old one stops working */
    async newCode(req: Request, res: Response) {
      const cohort = cohortOf(res);
      await cohorts.newCode(cohort.id);
      setFlash(req, { type: 'success', messageKey: 'cohorts:flash.newCode' });
      res.redirect(303, `${cohortPath(cohort.id)}/manage`);
    },
  };
}
