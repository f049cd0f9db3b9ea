import { z } from 'zod';

export const SORTS = ['name', 'activity', 'progress', 'enrolled'] as const;
export const STATUS_FILTERS = ['all', 'notStarted', 'inProgress', 'completed'] as const;
export type MatrixSort = (typeof SORTS)[number];
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** The learner table's query string: anything odd falls back to the default, never to an error page. */
export const matrixQuery = z.object({
  sort: z.enum(SORTS).catch('name').default('name'),
  dir: z.enum(['asc', 'desc']).catch('asc').default('asc'),
  status: z.enum(STATUS_FILTERS).catch('all').default('all'),
  /** only learners with no activity for at least this many days; 0 = everyone */
  inactive: z.coerce.number().int().min(0).max(3650).catch(0).default(0),
  q: z.string().trim().max(100).catch('').default(''),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
export type MatrixQuery = z.output<typeof matrixQuery>;
