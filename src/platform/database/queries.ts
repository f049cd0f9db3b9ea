import type { Model, QueryFilter } from 'mongoose';

/** Text a user typed, matched literally inside a `$regex` (a search box is not a pattern language). */
export const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export type Paged<T> = { docs: T[]; page: number; pages: number; total: number };

/**
 * One page of a sorted list: count, the number of pages (at least one), the asked page clamped into
 * them, then skip and limit. `sort` should match an index, so the page is read from it.
 */
export async function paginate<T>(
  model: Model<T>,
  filter: QueryFilter<T>,
  options: { page: number; perPage: number; sort: Record<string, 1 | -1>; projection?: Record<string, 0 | 1> },
): Promise<Paged<T>> {
  const { perPage } = options;
  const total = await model.countDocuments(filter);
  const pages = Math.max(1, Math.ceil(total / perPage));
  const page = Math.min(Math.max(1, options.page), pages);
  const docs = await model
    .find(filter, options.projection)
    .sort(options.sort)
    .skip((page - 1) * perPage)
    .limit(perPage)
    .lean<T[]>();
  return { docs, page, pages, total };
}
