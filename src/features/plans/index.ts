/**
 * Plans: each module's worksheet, filled in on the platform, makes one part of the learner's
 * "localization plan" (/plan, PDF, .docx), which the learner may share with their cohort's trainers.
 */
import type { i18n as I18n } from 'i18next';
import type { Connection } from 'mongoose';
import type { ActivityObserver } from '../../platform/activity';
import { requireRight } from '../../platform/auth-guards';
import type { Mailer } from '../../platform/mailer';
import type { UserModel } from '../accounts';
import type { CohortsService } from '../cohorts';
import type { ContentService } from '../content';
import { plansController } from './plans.controller';
import { planModels } from './plans.model';
import { plansRouter } from './plans.routes';
import { createPlansService, type WorksheetModule } from './plans.service';

export { planModels } from './plans.model';
export type { PlansService, WorksheetModule } from './plans.service';
export { type PlanSharing, planSharing } from './plan-share';
export { createPlanRecords, type FinishedWorksheet, planFigures, type PlanRecords, planRecordsOn } from './plan-records';

export function createPlans(deps: {
  connection: Connection;
  content: ContentService;
  cohorts: CohortsService;
  mailer: Mailer;
  i18n: I18n;
  baseUrl: string;
  onMailError?: (err: unknown) => void;
  /** the shared user model, built once in createApp */
  User: UserModel;
  /** a finished worksheet may complete its module (module.yaml `completion: { worksheet: required }`) */
  onWorksheetFinished?: (userId: string, module: WorksheetModule) => Promise<void>;
  activity?: ActivityObserver;
}) {
  const service = createPlansService({ ...deps, models: planModels(deps.connection) });
  return {
    service,
    router: plansRouter(plansController(service), { learner: requireRight('learn'), trainer: requireRight('cohorts.manage') }),
  };
}

/** Indexes of the plan collections; called by ensureIndexes (autoIndex is off on purpose). */
export async function createPlanIndexes(connection: Connection): Promise<void> {
  for (const model of Object.values(planModels(connection))) await model.createIndexes();
}
