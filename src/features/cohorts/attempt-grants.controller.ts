import type { Request, Response } from 'express';
import { z } from 'zod';
import { BadRequestError, NotFoundError } from '../../platform/errors';
import { setFlash } from '../../platform/flash';
import { currentLanguage } from '../../platform/i18n';
import type { ContentService, PublishedModule } from '../content';
import { type AttemptGrants, MAX_EXTRA_PER_GRANT } from '../learning';
import { cohortOf } from './cohort-access';
import { cohortPath } from './cohort-view';
import type { CohortsService } from './cohorts.service';

const grantForm = z.object({
  moduleId: z.string().min(1).max(100),
  extra: z.coerce.number().int().min(1).max(MAX_EXTRA_PER_GRANT),
});

/** What the drill-down shows per limited quiz: attempts used of those allowed, and the grant form. */
export async function attemptLimits(grants: AttemptGrants, userId: string, modules: PublishedModule[], attemptsUsed: Map<string, number>) {
  const extra = await grants.extraByModule(userId);
  return modules
    .filter((m) => m.quiz.maxAttempts > 0)
    .map((m) => {
      const allowed = m.quiz.maxAttempts + (extra.get(m.moduleId) ?? 0);
      const used = attemptsUsed.get(m.moduleId) ?? 0;
      return { moduleId: m.moduleId, allowed, used, exhausted: used >= allowed };
    });
}

/**
 * Trainers (and admins) give a learner of their cohort extra attempts for one module's quiz.
 * The cohort is already loaded and checked by the route (other trainers get 404).
 */
export function attemptGrantsController(deps: { cohorts: CohortsService; content: ContentService; grants: AttemptGrants }) {
  return {
    /** POST /trainer/cohorts/:id/learners/:userId/attempts — grant extra quiz attempts (audited) */
    async grant(req: Request, res: Response) {
      const cohort = cohortOf(res);
      const learnerId = String(req.params.userId ?? '');
      if (!(await deps.cohorts.isMember(cohort.id, learnerId))) throw new NotFoundError();
      const parsed = grantForm.safeParse(req.body);
      if (!parsed.success) throw new BadRequestError('cohorts:attempts.invalid');
      const module = await deps.content.getModule(parsed.data.moduleId);
      if (!module || module.quiz.maxAttempts === 0) throw new BadRequestError('cohorts:attempts.invalid');
      await deps.grants.grant({ actor: req.user!, userId: learnerId, moduleId: module.moduleId, extra: parsed.data.extra, cohortName: cohort.name });
      setFlash(req, {
        type: 'success',
        messageKey: 'cohorts:attempts.granted',
        vars: { count: String(parsed.data.extra), module: module.title[currentLanguage(req)] },
      });
      res.redirect(303, `${cohortPath(cohort.id)}/learners/${learnerId}`);
    },
  };
}
