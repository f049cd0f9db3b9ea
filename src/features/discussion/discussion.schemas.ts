import { z } from 'zod';
import { isPrintableLine } from '../../platform/validation';
import { safeLink } from './writing';

export const LIMITS = { title: 150, body: 10_000, field: 2_000, reason: 500, place: 120 } as const;
/** How long an author may edit a post after writing it. */
export const EDIT_WINDOW_MS = 15 * 60_000;
/** Posts per person: a burst, and an hour (slot-based, so it holds under concurrency: platform/attempt-limiter.ts). */
export const POST_LIMITS = [
  { name: 'minute', max: 6, windowMs: 60_000 },
  { name: 'hour', max: 40, windowMs: 3_600_000 },
] as const;

const str = z.preprocess((v) => (typeof v === 'string' ? v : v === undefined ? '' : undefined), z.string({ message: 'discussion:errors.invalid' }));
const body = str
  .transform((s) => s.replace(/\r\n?/g, '\n').trim())
  .pipe(z.string().min(1, 'discussion:errors.bodyRequired').max(LIMITS.body, 'discussion:errors.bodyTooLong'));
const title = str
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(3, 'discussion:errors.titleRequired')
      .max(LIMITS.title, 'discussion:errors.titleTooLong')
      .refine(isPrintableLine, 'discussion:errors.unprintable'),
  );
const token = str.transform((s) => (/^[A-Za-z0-9_-]{8,64}$/.test(s) ? s : ''));
const field = (max: number, required: boolean) =>
  str.transform((s) => s.trim()).pipe(required ? z.string().min(1, 'discussion:errors.fieldRequired').max(max, 'discussion:errors.fieldTooLong') : z.string().max(max, 'discussion:errors.fieldTooLong'));

/** "11.3, 6.1, 5" → targets of goals 1–17. */
const targets = str.transform((s, ctx) => {
  const parts = s.split(/[\s,;]+/).filter(Boolean);
  const ok = parts.every((p) => {
    const m = /^(\d{1,2})(?:\.([0-9]{1,2}|[a-c]))?$/i.exec(p);
    return m && Number(m[1]) >= 1 && Number(m[1]) <= 17;
  });
  if (parts.length === 0 || parts.length > 20 || !ok) {
    ctx.addIssue({ code: 'custom', message: 'discussion:errors.targets' });
    return z.NEVER;
  }
  return [...new Set(parts.map((p) => p.toLowerCase()))];
});

export const newThreadSchema = z.object({
  kind: z.enum(['discussion', 'practice', 'announcement'], { message: 'discussion:errors.kind' }).default('discussion'),
  title,
  body,
  moduleId: str.transform((s) => s.trim()),
  lessonId: str.transform((s) => s.trim()),
  token,
});

export const practiceSchema = z.object({
  place: field(LIMITS.place, true),
  country: field(LIMITS.place, true),
  targets,
  done: field(LIMITS.field, true),
  worked: field(LIMITS.field, false),
  didNot: field(LIMITS.field, false),
  link: str
    .transform((s) => s.trim())
    .refine((s) => s === '' || safeLink(s) !== undefined, 'discussion:errors.link'),
});

export const replySchema = z.object({ body, token });
export const editSchema = z.object({ body });
export const reasonSchema = z.object({
  reason: str.transform((s) => s.trim()).pipe(z.string().min(1, 'discussion:errors.reasonRequired').max(LIMITS.reason, 'discussion:errors.reasonTooLong')),
  postId: str.transform((s) => s.trim()),
});
export const sharePlanSchema = z.object({ step: str.transform((s) => s.trim()), title, token, note: str.transform((s) => s.trim()).pipe(z.string().max(LIMITS.field, 'discussion:errors.fieldTooLong')) });
export const prefsSchema = z.object({
  replies: str.transform((s) => s === 'on'),
  mentions: str.transform((s) => s === 'on'),
  announcements: str.transform((s) => s === 'on'),
  digest: z.enum(['off', 'daily', 'weekly'], { message: 'discussion:errors.digest' }),
});
export const listQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  sdg: z.coerce.number().int().min(1).max(17).optional().catch(undefined),
  kind: z.enum(['practice']).optional().catch(undefined),
});
