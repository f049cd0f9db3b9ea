import type { z } from 'zod';

/** What a failed form returns: one i18n key per field, and what the user typed (never secrets). */
export type FormErrors = Record<string, string>;
export type FormValues = Record<string, string>;
export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FormErrors; values: FormValues };

const MAX_KEPT_LENGTH = 500;

/**
 * The user's input to show again in a form that failed: strings only (a smuggled object such as
 * `{"$gt": ""}` is dropped), never the fields named in `secret`.
 */
export function keptValues(body: unknown, secret: readonly string[] = []): FormValues {
  const values: FormValues = {};
  if (!body || typeof body !== 'object') return values;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === '_csrf' || secret.includes(key) || typeof value !== 'string') continue;
    values[key] = value.slice(0, MAX_KEPT_LENGTH);
  }
  return values;
}

/**
 * Checks a submitted form against its zod schema, all fields at once. The schemas' messages are
 * i18n keys, so the controller can show each beside its field in the user's language.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
  options: { secret?: readonly string[] } = {},
): FormResult<z.output<S>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const errors: FormErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values: keptValues(body, options.secret) };
}
