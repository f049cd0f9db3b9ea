import type { i18n as I18n } from 'i18next';
import { Types } from 'mongoose';
import type { ActivityObserver } from '../../platform/activity';
import { inChunks } from '../../platform/database';
import type { Mailer } from '../../platform/mailer';
import type { Actor as ActingUser } from '../../platform/roles';
import type { UserModel } from '../accounts';
import type { CohortsService } from '../cohorts';
import { type ContentService, type Lang, type PublishedModule, worksheetFields } from '../content';
import { createPlanRecords, planFigures } from './plan-records';
import type { PlanFeedbackDoc, PlanModels, WorksheetRevisionDoc, WorksheetValues } from './plans.model';
import { isEmpty, prefillValue } from './worksheet-form';

export type Actor = Pick<ActingUser, 'id' | 'role'>;
export type WorksheetModule = PublishedModule & { worksheet: NonNullable<PublishedModule['worksheet']> };
export type PlanPart = { module: WorksheetModule; revision?: WorksheetRevisionDoc };
export type Plan = {
  learner: { id: string; name: string; organisation?: string; country?: string; email: string; language: Lang };
  parts: PlanPart[];
  shared: boolean;
  feedback: PlanFeedbackDoc[];
};

export const FEEDBACK_MAX = 4000;

export function createPlansService(deps: {
  models: PlanModels;
  content: ContentService;
  cohorts: CohortsService;
  User: UserModel;
  mailer: Mailer;
  i18n: I18n;
  baseUrl: string;
  clock?: () => Date;
  /** a failed e-mail never decides the answer (the feedback is stored): it is reported here */
  onMailError?: (err: unknown) => void;
  /** told when a learner marks a worksheet finished: learning checks the module's completion */
  onWorksheetFinished?: (userId: string, module: WorksheetModule) => Promise<void>;
  activity?: ActivityObserver;
}) {
  const { models, content, cohorts, User, mailer, i18n, baseUrl } = deps;
  const { WorksheetRevision, PlanShare, PlanFeedback } = models;
  const records = createPlanRecords(models);
  const clock = deps.clock ?? (() => new Date());

  const hasWorksheet = (m: PublishedModule | undefined): m is WorksheetModule => m?.worksheet !== undefined;

  /** The latest revision: the newest by time, then by id (two saves in one millisecond). */
  const latest = (userId: string, moduleId: string) =>
    WorksheetRevision.findOne({ userId, moduleId }).sort({ createdAt: -1, _id: -1 }).lean<WorksheetRevisionDoc>().then((d) => d ?? undefined);

  async function worksheetModules(): Promise<WorksheetModule[]> {
    return (await content.modules()).filter(hasWorksheet);
  }

  async function isShared(userId: string): Promise<boolean> {
    const last = await PlanShare.findOne({ userId }).sort({ createdAt: -1, _id: -1 }).lean();
    return last?.shared === true;
  }

  async function planOf(userId: string): Promise<Plan | undefined> {
    const user = await User.findById(userId, { name: 1, organisation: 1, country: 1, email: 1, language: 1 }).lean();
    if (!user) return undefined;
    const modules = await worksheetModules();
    const [revisions, shared, feedback] = await Promise.all([
      Promise.all(modules.map((m) => latest(userId, m.moduleId))),
      isShared(userId),
      PlanFeedback.find({ learnerId: userId }).sort({ createdAt: 1 }).lean<PlanFeedbackDoc[]>(),
    ]);
    return {
      learner: { id: userId, name: user.name, organisation: user.organisation, country: user.country, email: user.email, language: user.language as Lang },
      parts: modules.map((module, i) => ({ module, revision: revisions[i] })),
      shared,
      feedback,
    };
  }

  /** Whether this trainer may read this learner's plan: they train a cohort the learner is in, and the learner shares. */
  async function trainerMay(actor: Actor, cohortId: string, learnerId: string) {
    const cohort = await cohorts.findFor(actor, cohortId);
    if (!cohort) return undefined;
    if (!(await cohorts.isMember(cohortId, learnerId)) || !(await isShared(learnerId))) return undefined;
    return cohort;
  }

  return {
    worksheetModules,
    latest,
    isShared,
    planOf,

    /** The module if it has a worksheet learners can fill in. */
    async worksheetModule(moduleId: string): Promise<WorksheetModule | undefined> {
      const module = await content.getModule(moduleId);
      return hasWorksheet(module) ? module : undefined;
    },

    /**
     * What the form shows: the latest saved values, with every empty field that says `from:` filled
     * from the learner's latest answer in that earlier module.
     */
    async formValues(userId: string, module: WorksheetModule, lng: Lang) {
      const revision = await latest(userId, module.moduleId);
      const values: WorksheetValues = { ...(revision?.values ?? {}) };
      const prefilled: string[] = [];
      const wanting = worksheetFields(module.worksheet).filter((f) => f.from && isEmpty(values[f.id]));
      const sourceIds = [...new Set(wanting.map((f) => f.from!.split('.')[0]!))];
      const sources = new Map(
        await Promise.all(
          sourceIds.map(async (id) => [id, { module: await content.getModule(id), revision: await latest(userId, id) }] as const),
        ),
      );
      for (const f of wanting) {
        const [moduleId = '', fieldId = ''] = f.from!.split('.');
        const source = sources.get(moduleId);
        const sourceField = source?.module?.worksheet ? worksheetFields(source.module.worksheet).find((g) => g.id === fieldId) : undefined;
        const value = source?.revision?.values[fieldId];
        if (!sourceField || value === undefined) continue;
        const filled = prefillValue(f, sourceField, value, lng);
        if (filled !== undefined) {
          values[f.id] = filled;
          prefilled.push(f.id);
        }
      }
      return { values, prefilled, revision };
    },

    /**
     * Stores a new revision (never changes an old one). Finishing may complete the module, when its
     * module.yaml requires the worksheet: the completion is checked before the answer, as for a lesson.
     */
    async save(userId: string, module: WorksheetModule, values: WorksheetValues, finished: boolean): Promise<WorksheetRevisionDoc> {
      const doc = { userId, moduleId: module.moduleId, values, finished, createdAt: clock() };
      await WorksheetRevision.create(doc);
      if (finished) {
        await deps.activity?.record({ type: 'worksheet-finished', userId, moduleId: module.moduleId, at: doc.createdAt });
        await deps.onWorksheetFinished?.(userId, module);
      }
      return doc;
    },

    /** How many revisions a learner's worksheet has (the history). */
    revisionCount: (userId: string, moduleId: string) => WorksheetRevision.countDocuments({ userId, moduleId }),

    async setShared(userId: string, shared: boolean): Promise<void> {
      await PlanShare.create({ userId, shared, createdAt: clock() });
    },

    /**
     * A cohort's learners with whether each shares their plan and how many worksheets they finished.
     * Names, sharing and finished worksheets are each read with one `$in` per IN_CHUNK (250)
     * learners: the same queries for 3 learners or 250, never a query per learner.
     */
    async cohortPlans(actor: Actor, cohortId: string) {
      const cohort = await cohorts.findFor(actor, cohortId);
      if (!cohort) return undefined;
      const [ids, modules] = await Promise.all([cohorts.memberIds(cohortId), worksheetModules()]);
      const objectIds = ids.filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));
      const [people, figures] = await Promise.all([
        inChunks(objectIds, (chunk) => User.find({ _id: { $in: chunk } }, { name: 1 }).lean<{ _id: Types.ObjectId; name: string }[]>()),
        planFigures(records, ids, modules.map((m) => m.moduleId)),
      ]);
      const names = new Map(people.map((p) => [String(p._id), p.name]));
      const rows = ids.map((userId) => ({
        userId,
        name: names.get(userId) ?? '',
        shared: figures.sharing.has(userId),
        finished: figures.finishedBy.get(userId) ?? 0,
      }));
      rows.sort((a, b) => a.name.localeCompare(b.name));
      return { cohort, modulesWithWorksheet: modules.length, rows, sharedCount: figures.shared, finishedCount: figures.finished };
    },

    /** A learner's plan for a trainer of their cohort, only while the learner shares it. */
    async planForTrainer(actor: Actor, cohortId: string, learnerId: string) {
      const cohort = await trainerMay(actor, cohortId, learnerId);
      if (!cohort) return undefined;
      const plan = await planOf(learnerId);
      return plan ? { cohort, plan } : undefined;
    },

    /**
     * Stores a trainer's feedback on one step and e-mails the learner (in their language). Returns
     * undefined when the trainer may not see the plan, 'badStep' for a step the plan does not have.
     */
    async addFeedback(actor: Actor & { name: string }, cohortId: string, learnerId: string, step: string, body: string) {
      const cohort = await trainerMay(actor, cohortId, learnerId);
      if (!cohort) return undefined;
      const [moduleId = '', stepId = ''] = step.split('.');
      const module = (await worksheetModules()).find((m) => m.moduleId === moduleId);
      const stepDoc = module?.worksheet.steps.find((s) => s.id === stepId);
      if (!module || !stepDoc) return 'badStep' as const;
      await PlanFeedback.create({ learnerId, cohortId, trainerId: actor.id, trainerName: actor.name, step, body, createdAt: clock() });
      const learner = await User.findById(learnerId, { email: 1, name: 1, language: 1 }).lean();
      if (learner) {
        const lng = learner.language as Lang;
        const t = i18n.getFixedT(lng, 'plans');
        const text = [
          t('email.greeting', { name: learner.name }),
          '',
          t('email.intro', { trainer: actor.name, step: stepDoc.title[lng] }),
          '',
          body,
          '',
          `${baseUrl}/plan`,
        ].join('\n');
        await mailer.send({ to: learner.email, subject: t('email.subject'), text }).catch((err: unknown) => deps.onMailError?.(err));
      }
      return 'stored' as const;
    },
  };
}

export type PlansService = ReturnType<typeof createPlansService>;
