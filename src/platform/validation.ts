import type { z } from 'zod';

/** What a failed form returns: one i18n key per field, and what the user typed (never secrets). */
export type FormErrors = Record<string, string>;
export type FormValues = Record<string, string>;
export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FormErrors; values: FormValues };

const MAX_KEPT_LENGTH = 500;

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what is taken out
const STRIPPED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** What a form shows again keeps line breaks and tabs, never NUL, other control characters or half a character. */
function withoutUnprintable(value: string): string {
  return value.replace(STRIPPED, '');
}

/**
 * The user's input to show again in a form that failed: strings only (a smuggled object such as
 * `{"$gt": ""}` is dropped), never the fields named in `secret`.
 */
export function keptValues(body: unknown, secret: readonly string[] = []): FormValues {
  const values: FormValues = {};
  if (!body || typeof body !== 'object') return values;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === '_csrf' || secret.includes(key) || typeof value !== 'string') continue;
    values[key] = withoutUnprintable(value.slice(0, MAX_KEPT_LENGTH));
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

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * True when a one-line text (a name, an organisation) holds nothing that would print as garbage or
 * hide what it says: no control characters (NUL, line breaks, C1), no bidirectional overrides or
 * isolates (which reorder the text around them on a certificate or a trainer's table), no lone
 * surrogates (half an emoji, which HTML and PDFs show as U+FFFD).
 */
export function isPrintableLine(value: string): boolean {
  return !UNPRINTABLE.test(value);
}
