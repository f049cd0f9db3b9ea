import type { Request, Response } from 'express';
import { createFormatter } from '../../platform/format';
import type { Language } from '../../platform/i18n';
import { NotFoundError } from '../../platform/errors';
import type { Cohort, CohortsService } from './cohorts.service';
import { displayJoinCode } from './join-codes';

/*
 * What every cohort page shares: the access check that loads the cohort, and the cohort as views
 * show it. Trainers of other cohorts get "not found": a cohort's existence is not theirs to know.
 */

export const cohortPath = (id: string) => `/trainer/cohorts/${id}`;

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

export function cohortView(cohort: Cohort, baseUrl: string, now: Date) {
  const base = cohortPath(cohort.id);
  return {
    id: cohort.id,
    name: cohort.name,
    language: cohort.language,
    startsOn: cohort.startsOn,
    endsOn: cohort.endsOn,
    joinClosesOn: cohort.joinClosesOn,
    code: cohort.joinCode,
    displayCode: displayJoinCode(cohort.joinCode),
    joinLink: `${baseUrl}/cohorts/join?code=${cohort.joinCode}`,
    codeExpiresAt: cohort.codeExpiresAt,
    codeExpired: cohort.codeExpiresAt !== undefined && cohort.codeExpiresAt <= now,
    links: {
      overview: base,
      manage: `${base}/manage`,
      atRisk: `${base}/at-risk`,
      questions: `${base}/questions`,
      export: `${base}/export.csv`,
      newCode: `${base}/code`,
      enrol: `${base}/enrol`,
      trainers: `${base}/trainers`,
    },
  };
}
export type CohortView = ReturnType<typeof cohortView>;

/** A calendar date in the reader's language; dates are stored as UTC midnight, so shown in UTC. */
export function formatDay(date: Date | undefined, lng: Language): string {
  return createFormatter(lng).date(date);
}
