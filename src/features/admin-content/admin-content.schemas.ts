import type { Request } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors';
import { LANGS } from '../content';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);

/** A version's address: anything malformed is simply not found. */
export const versionParams = z.object({
  module: id,
  version: z
    .string()
    .regex(/^[1-9][0-9]{0,6}$/)
    .transform(Number),
});

export const previewParams = versionParams.extend({ lng: z.enum(LANGS) });
export const lessonParams = previewParams.extend({ lesson: id });
export const mediaParams = versionParams.extend({ file: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/) });

/** The route's parameters through their schema; anything that does not fit is a page that does not exist. */
export function paramsOf<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  const parsed = schema.safeParse(req.params);
  if (!parsed.success) throw new NotFoundError();
  return parsed.data;
}
