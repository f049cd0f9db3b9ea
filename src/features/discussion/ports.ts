import type { CohortAccess } from '../cohorts';

/** What the discussion needs to know about people and cohorts, given by the composition root (index.ts). */
export type Person = { id: string; name: string; email: string; language: 'en' | 'es' | 'fr' };
export type People = (ids: readonly string[]) => Promise<Map<string, Person>>;
export type Membership = {
  accessFor(user: { id: string; role: 'learner' | 'trainer' | 'admin' }, cohortId: string): Promise<CohortAccess | undefined>;
  memberIds(cohortId: string): Promise<string[]>;
  trainerIds(cohortId: string): Promise<string[]>;
  cohortIdsOf(userId: string): Promise<string[]>;
};
export type Viewer = { id: string; email: string; role: 'learner' | 'trainer' | 'admin' };
export type { CohortAccess };
