import { z } from 'zod';
import { ROLES } from '../../platform/roles';

/** The users list's query: a search text and a page; anything odd falls back to page 1. */
export const userListQuery = z.object({
  q: z
    .string()
    .trim()
    .max(100)
    .catch('')
    .default(''),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

export const auditListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

export const roleForm = z.object({
  role: z.enum(ROLES, { error: 'admin:errors.roleInvalid' }),
  back: z.string().optional(),
});
