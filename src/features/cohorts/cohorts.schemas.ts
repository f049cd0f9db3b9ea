import { z } from 'zod';
import { LANGUAGES } from '../../platform/i18n';
import { isPrintableLine } from '../../platform/validation';

/*
 * Messages are i18n keys in `cohorts:errors`, shown beside their fields in the reader's language.
 * Anything that is not a string (an injected object) fails like a missing value.
 */
const key = (name: string) => `cohorts:errors.${name}`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An optional calendar date from `<input type="date">` (YYYY-MM-DD), as UTC midnight. */
const optionalDate = (message: string) =>
  z
    .string({ error: key(message) })
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const date = new Date(`${v}T00:00:00.000Z`);
      if (!DATE.test(v) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== v) {
        ctx.addIssue({ code: 'custom', message: key(message) });
        return z.NEVER;
      }
      return date;
    });

export const createCohortForm = z
  .object({
    name: z
      .string({ error: key('nameRequired') })
      .trim()
      .min(1, { error: key('nameRequired') })
      .max(120, { error: key('nameTooLong') })
      .refine(isPrintableLine, { error: key('nameInvalid') }),
    language: z.enum(LANGUAGES, { error: key('languageInvalid') }),
    startsOn: optionalDate('dateInvalid'),
    endsOn: optionalDate('dateInvalid'),
    joinClosesOn: optionalDate('dateInvalid'),
  })
  .superRefine((v, ctx) => {
    if (v.startsOn && v.endsOn && v.endsOn < v.startsOn) {
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: key('endBeforeStart') });
    }
  });
export type CreateCohortInput = z.output<typeof createCohortForm>;

export const joinForm = z.object({
  code: z
    .string({ error: key('codeRequired') })
    .trim()
    .min(1, { error: key('codeRequired') })
    .max(40, { error: key('codeUnknown') }),
});

export const emailForm = z.object({
  email: z
    .string({ error: key('trainerEmailInvalid') })
    .trim()
    .toLowerCase()
    .max(254, { error: key('trainerEmailInvalid') })
    .pipe(z.email({ error: key('trainerEmailInvalid') })),
});

/** The pasted list: the uploaded file arrives through multer, beside this. */
export const enrolForm = z.object({
  emails: z
    .string({ error: key('listInvalid') })
    .max(100_000, { error: key('listTooLong') })
    .optional()
    .default(''),
});
