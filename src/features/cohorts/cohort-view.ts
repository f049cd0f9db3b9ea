import type { Cohort } from './cohorts.service';
import { displayJoinCode } from './join-codes';

/* What every cohort page shares: the cohort as views show it (the access check is in cohort-access.ts). */

export const cohortPath = (id: string) => `/trainer/cohorts/${id}`;

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
export function formatDay(date: Date | undefined, lng: string): string {
  return date ? new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeZone: 'UTC' }).format(date) : '';
}
