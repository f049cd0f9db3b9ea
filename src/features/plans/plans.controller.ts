import type { Request, Response } from 'express';
import { createFormatter } from '../../platform/format';
import { NotFoundError } from '../../platform/errors';
import { setFlash } from '../../platform/flash';
import { currentLanguage } from '../../platform/i18n';
import { countryName } from '../accounts';
import { worksheetFields } from '../content';
import { renderPlanDocx } from './plan-docx';
import { renderPlanPdf } from './plan-pdf';
import type { WorksheetValues } from './plans.model';
import { FEEDBACK_MAX, type Plan, type PlansService, type WorksheetModule } from './plans.service';
import { formView, planView } from './plans.view-models';
import { type FormErrors, missingRequired, readWorksheetForm } from './worksheet-form';

const param = (req: Request, name: string) => (typeof req.params[name] === 'string' ? (req.params[name] as string) : '');
const field = (req: Request, name: string) => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};
const actor = (req: Request) => ({ id: req.user!.id, role: req.user!.role, name: req.user!.name });

export function plansController(plans: PlansService) {
  async function worksheetOr404(req: Request): Promise<WorksheetModule> {
    const module = await plans.worksheetModule(param(req, 'module'));
    if (!module) throw new NotFoundError();
    return module;
  }

  function renderForm(
    req: Request,
    res: Response,
    module: WorksheetModule,
    state: { values: WorksheetValues; errors: FormErrors; prefilled: string[]; finished: boolean; savedAt?: Date; status?: number },
  ) {
    const lng = currentLanguage(req);
    const fields = formView(worksheetFields(module.worksheet), state.values, lng);
    res.status(state.status ?? 200).render('plans/worksheet', {
      title: 'plans:worksheet.title',
      pageTitle: module.worksheet.title[lng],
      module: { id: module.moduleId, title: module.title[lng], href: `/modules/${module.moduleId}` },
      worksheet: { title: module.worksheet.title[lng], intro: module.worksheet.intro[lng] },
      steps: module.worksheet.steps.map((s) => ({ id: s.id, title: s.title[lng], intro: s.intro?.[lng], fields: fields.filter((f) => f.stepId === s.id) })),
      errors: state.errors,
      errorFields: fields.map((f) => [f.id, `field-${f.id}`]),
      prefilled: state.prefilled,
      finished: state.finished,
      savedAt: state.savedAt,
    });
  }

  function wording(req: Request, plan: Plan) {
    const lng = currentLanguage(req);
    const where = [plan.learner.organisation, plan.learner.country ? countryName(plan.learner.country, lng) : undefined].filter(Boolean).join(', ');
    return {
      heading: req.t('plans:plan.heading'),
      placeKnown: where !== '',
      subtitle: where ? req.t('plans:plan.forPlace', { place: where }) : req.t('plans:plan.noPlace'),
      preparedBy: req.t('plans:plan.preparedBy', { name: plan.learner.name }),
      generatedOn: req.t('plans:plan.generatedOn', { date: createFormatter(lng).longDate(new Date()) }),
      notStarted: req.t('plans:plan.notStarted'),
      empty: req.t('plans:plan.empty'),
    };
  }

  async function myPlan(req: Request) {
    const plan = await plans.planOf(req.user!.id);
    if (!plan) throw new NotFoundError();
    return plan;
  }

  return {
    /** GET /modules/:module/worksheet — the learner's worksheet, saved or prefilled */
    async showWorksheet(req: Request, res: Response) {
      const module = await worksheetOr404(req);
      const { values, prefilled, revision } = await plans.formValues(req.user!.id, module, currentLanguage(req));
      renderForm(req, res, module, { values, errors: {}, prefilled, finished: revision?.finished === true, savedAt: revision?.createdAt });
    },

    /** POST /modules/:module/worksheet — saves a new revision (a draft, or finished with action=finish) */
    async saveWorksheet(req: Request, res: Response) {
      const module = await worksheetOr404(req);
      const finish = field(req, 'action') === 'finish';
      const { values, errors } = readWorksheetForm(req.body, module.worksheet);
      const all = { ...(finish ? missingRequired(module.worksheet, values) : {}), ...errors };
      if (Object.keys(all).length > 0) {
        const previous = await plans.latest(req.user!.id, module.moduleId);
        renderForm(req, res, module, { values, errors: all, prefilled: [], finished: previous?.finished === true, savedAt: previous?.createdAt, status: 422 });
        return;
      }
      await plans.save(req.user!.id, module, values, finish);
      setFlash(req, { type: 'success', messageKey: finish ? 'plans:worksheet.finishedFlash' : 'plans:worksheet.savedFlash' });
      res.redirect(303, finish ? '/plan' : `/modules/${module.moduleId}/worksheet`);
    },

    /** GET /plan — "My localization plan": every worksheet in one document */
    async showPlan(req: Request, res: Response) {
      const plan = await myPlan(req);
      res.render('plans/plan', { title: 'plans:plan.heading', plan: planView(plan, currentLanguage(req)), wording: wording(req, plan), trainer: undefined });
    },

    /** GET /plan.pdf — the plan as a PDF in the learner's language */
    async planPdf(req: Request, res: Response) {
      const plan = await myPlan(req);
      const pdf = await renderPlanPdf(planView(plan, currentLanguage(req)), wording(req, plan));
      res.type('application/pdf').setHeader('Content-Disposition', 'inline; filename="localization-plan.pdf"');
      res.setHeader('Cache-Control', 'private, no-store');
      res.send(pdf);
    },

    /** GET /plan.docx — the plan as an editable Word document */
    async planDocx(req: Request, res: Response) {
      const plan = await myPlan(req);
      const docx = await renderPlanDocx(planView(plan, currentLanguage(req)), wording(req, plan));
      res.type('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      res.setHeader('Content-Disposition', 'attachment; filename="localization-plan.docx"');
      res.setHeader('Cache-Control', 'private, no-store');
      res.send(docx);
    },

    /** POST /plan/share — share=on|off: the plan is (no longer) shown to the learner's cohort trainers */
    async share(req: Request, res: Response) {
      const on = field(req, 'share') === 'on';
      await plans.setShared(req.user!.id, on);
      setFlash(req, { type: 'success', messageKey: on ? 'plans:share.sharedFlash' : 'plans:share.unsharedFlash' });
      res.redirect(303, '/plan');
    },

    /** GET /trainer/cohorts/:id/plans — who has shared a plan, and who finished */
    async cohortPlans(req: Request, res: Response) {
      const found = await plans.cohortPlans(actor(req), param(req, 'id'));
      if (!found) throw new NotFoundError();
      res.render('plans/cohort-plans', { title: 'plans:trainer.heading', ...found });
    },

    /** GET /trainer/cohorts/:id/learners/:userId/plan — a shared plan, with a feedback form per step */
    async learnerPlan(req: Request, res: Response) {
      await renderTrainerPlan(req, res, {}, '', '');
    },

    /** POST /trainer/cohorts/:id/learners/:userId/plan/feedback — feedback on one step; the learner is e-mailed */
    async feedback(req: Request, res: Response) {
      const step = field(req, 'step');
      const body = field(req, 'body').trim();
      const error = !body ? 'plans:errors.feedbackEmpty' : body.length > FEEDBACK_MAX ? 'plans:errors.feedbackTooLong' : undefined;
      if (error) {
        await renderTrainerPlan(req, res, { [step]: error }, step, body, 422);
        return;
      }
      const outcome = await plans.addFeedback(actor(req), param(req, 'id'), param(req, 'userId'), step, body);
      if (outcome === undefined) throw new NotFoundError();
      if (outcome === 'badStep') {
        await renderTrainerPlan(req, res, { [step]: 'plans:errors.badStep' }, step, body, 422);
        return;
      }
      setFlash(req, { type: 'success', messageKey: 'plans:trainer.feedbackFlash' });
      res.redirect(303, `/trainer/cohorts/${param(req, 'id')}/learners/${param(req, 'userId')}/plan`);
    },
  };

  async function renderTrainerPlan(req: Request, res: Response, errors: Record<string, string>, step: string, body: string, status = 200) {
    const found = await plans.planForTrainer(actor(req), param(req, 'id'), param(req, 'userId'));
    if (!found) throw new NotFoundError();
    res.status(status).render('plans/plan', {
      title: 'plans:plan.heading',
      plan: planView(found.plan, currentLanguage(req)),
      wording: wording(req, found.plan),
      trainer: { cohort: found.cohort, action: `/trainer/cohorts/${found.cohort.id}/learners/${found.plan.learner.id}/plan/feedback`, errors, step, body },
    });
  }
}
