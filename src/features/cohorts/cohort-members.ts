import type { Connection } from 'mongoose';
import { cohortModels, memberKey } from './cohorts.model';

/** A learner in a cohort, as the reports read them. */
export type CohortMember = { userId: string; enrolledAt: Date };

/**
 * What other features may read of a cohort's membership (cohort-reports builds its pages on it):
 * cohorts owns cohort_members, so the queries stay here.
 */
export function cohortMembersOn(connection: Connection) {
  const { CohortMember } = cohortModels(connection);
  return {
    /** every member with the day they were enrolled */
    of: (cohortId: string) => CohortMember.find({ cohortId }, { userId: 1, enrolledAt: 1 }).lean<CohortMember[]>(),
    /**
     * Every member in user-id order, read a batch at a time: the CSV export of a cohort of 50,000
     * holds one batch of members in memory, not the whole list (the database does the sorting).
     */
    inUserOrder: (cohortId: string, batchSize: number): AsyncIterable<CohortMember> =>
      CohortMember.find({ cohortId }, { _id: 0, userId: 1, enrolledAt: 1 }).sort({ userId: 1 }).lean<CohortMember>().cursor({ batchSize }),
    /** the user ids of every member */
    async idsOf(cohortId: string): Promise<string[]> {
      return (await CohortMember.find({ cohortId }, { userId: 1 }).lean()).map((m) => m.userId);
    },
    /** one member, or null when the user is not in the cohort */
    one: (cohortId: string, userId: string) => CohortMember.findById(memberKey(cohortId, userId), { userId: 1, enrolledAt: 1 }).lean<CohortMember>(),
  };
}
export type CohortMembersReader = ReturnType<typeof cohortMembersOn>;
