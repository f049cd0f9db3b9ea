/**
 * Up to this many values, a query filters with `$in`; past it, the query reads the whole collection
 * and the code keeps the cohort's rows. Why: FerretDB v1 (our local database) scans every collection
 * whatever the filter, and tests each document against every `$in` value in turn, so a
 * 5,000-value `$in` over 100,000 documents took 40 s where a plain scan took 10 s (measured) and a
 * 50,000-learner cohort would take hours. On MongoDB, `$in` uses the `{ userId: 1, … }` indexes;
 * reading a whole collection is fine there for a cohort that large, which is a big share of all
 * learners anyway. Either way one query per collection, never one per learner.
 */
export const IN_LIMIT = 1000;

/** `{ field: { $in: values } }` for small sets; `{}` (the caller keeps the values it wants) for large ones. */
export function cohortUserFilter<T>(field: string, values: readonly T[]): Record<string, unknown> {
  return values.length <= IN_LIMIT ? { [field]: { $in: values } } : {};
}
