/**
 * Plans: each module's worksheet, filled in on the platform, makes one part of the learner's
 * "localization plan" (/plan, PDF, .docx), which the learner may share with their cohort's trainers.
 */
import type { i18n as I18n } from 'i18next';
import type { Connection } from 'mongoose';
import type { ActivityObserver } from '../../platform/activity';
import { requireRight } from '../../platform/auth-guards';
import type { Mailer } from '../../platform/mailer';
import { getUserModel } from '../accounts';
import type { CohortsService } from '../cohorts';
import type { ContentService } from '../content';
import { plansController } from './plans.controller';
import { planModels } from './plans.models';
import { plansRouter } from './plans.routes';
import { createPlansService } from './plans.service';

export { planModels } from './plans.models';
export type { PlansService } from './plans.service';

export function createPlans(deps: {
  connection: Connection;
  content: ContentService;
  cohorts: CohortsService;
  mailer: Mailer;
  i18n: I18n;
  baseUrl: string;
  onMailError?: (err: unknown) => void;
  activity?: ActivityObserver;
}) {
  const service = createPlansService({ ...deps, models: planModels(deps.connection), User: getUserModel(deps.connection) });
  return {
    service,
    router: plansRouter(plansController(service), { learner: requireRight('learn'), trainer: requireRight('cohorts.manage') }),
  };
}

/** Indexes of the plan collections; called by ensureIndexes (autoIndex is off on purpose). */
export async function createPlanIndexes(connection: Connection): Promise<void> {
  for (const model of Object.values(planModels(connection))) await model.createIndexes();
}
