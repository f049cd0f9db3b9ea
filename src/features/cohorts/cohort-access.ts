import type { Request, Response } from 'express';
import { NotFoundError } from '../../platform/errors';
import type { Cohort, CohortsService } from './cohorts.service';

/*
 * The access check every cohort page runs first (the cohort pages here and the reports in
 * cohort-reports). Trainers of other cohorts get "not found": a cohort's existence is not theirs to know.
 */

/** Loads `:id` for the signed-in trainer (any cohort for those who may see all) or answers 404. */
export function loadCohort(cohorts: CohortsService) {
  return async (req: Request, res: Response, next: () => void) => {
    const cohort = await cohorts.findFor(req.user!, String(req.params.id ?? ''));
    if (!cohort) throw new NotFoundError();
    res.locals.cohort = cohort;
    next();
  };
}

export function cohortOf(res: Response): Cohort {
  return res.locals.cohort as Cohort;
}
