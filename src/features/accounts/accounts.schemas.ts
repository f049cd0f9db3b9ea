import { z } from 'zod';
import { LANGUAGES } from '../../platform/i18n';
import { ROLES } from '../../platform/roles';
import { isPrintableLine } from '../../platform/validation';
import { isCountryCode } from './countries';
import { isCommonPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords';

/*
 * Every message is an i18n key in `accounts:errors`, so a controller shows it beside its field in
 * the reader's language. A value of the wrong type (an object such as `{"$gt": ""}`) fails like a
 * missing one: only strings ever reach a service or a query.
 */
const key = (name: string) => `accounts:errors.${name}`;

export const nameField = z
  .string({ error: key('nameRequired') })
  .trim()
  .min(1, { error: key('nameRequired') })
  .max(120, { error: key('nameTooLong') })
  .refine(isPrintableLine, { error: key('nameInvalid') });

export const emailField = z
  .string({ error: key('emailRequired') })
  .trim()
  .toLowerCase()
  .min(1, { error: key('emailRequired') })
  .max(254, { error: key('emailInvalid') })
  .pipe(z.email({ error: key('emailInvalid') }));

/** A password being chosen: long enough, and not on the list of common passwords. */
export const newPasswordField = z
  .string({ error: key('passwordRequired') })
  .min(1, { error: key('passwordRequired') })
  .min(PASSWORD_MIN_LENGTH, { error: key('passwordTooShort') })
  .max(PASSWORD_MAX_LENGTH, { error: key('passwordTooLong') })
  .refine((v) => !isCommonPassword(v), { error: key('passwordCommon') });

/** A password being checked: no policy, since it may predate the current one. */
export const currentPasswordField = z
  .string({ error: key('passwordRequired') })
  .min(1, { error: key('passwordRequired') })
  .max(PASSWORD_MAX_LENGTH, { error: key('passwordRequired') });

export const languageField = z.enum(LANGUAGES, { error: key('languageInvalid') });

/** Optional free text: empty means "not given" and is stored as nothing at all. */
const optionalText = (max: number, tooLong: string, invalid: string) =>
  z
    .string({ error: key(tooLong) })
    .trim()
    .max(max, { error: key(tooLong) })
    .refine(isPrintableLine, { error: key(invalid) })
    .optional()
    .transform((v) => (v ? v : undefined));

const notTheEmail = (v: { email: string; password: string }, ctx: z.RefinementCtx) => {
  if (v.password.trim().toLowerCase() === v.email) {
    ctx.addIssue({ code: 'custom', path: ['password'], message: key('passwordIsEmail') });
  }
};

export const registerSchema = z
  .object({ name: nameField, email: emailField, password: newPasswordField, language: languageField })
  .superRefine(notTheEmail);
export type RegisterInput = z.output<typeof registerSchema>;

export const loginSchema = z.object({ email: emailField, password: currentPasswordField });
export type LoginInput = z.output<typeof loginSchema>;

export const forgotSchema = z.object({ email: emailField });

export const resetSchema = z.object({ password: newPasswordField });

export const profileSchema = z.object({
  name: nameField,
  organisation: optionalText(200, 'organisationTooLong', 'organisationInvalid'),
  country: z
    .string({ error: key('countryInvalid') })
    .trim()
    .toUpperCase()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || isCountryCode(v), { error: key('countryInvalid') }),
  position: optionalText(200, 'positionTooLong', 'positionInvalid'),
  language: languageField,
});
export type ProfileInput = z.output<typeof profileSchema>;

export const changeEmailSchema = z.object({ email: emailField, currentPassword: currentPasswordField });

export const changePasswordSchema = z.object({ currentPassword: currentPasswordField, newPassword: newPasswordField });

export const languageSchema = z.object({ language: languageField, next: z.string().optional() });

/** The command line's create-user: the same rules as the register form, plus the role. */
export const createUserSchema = z
  .object({
    role: z.enum(ROLES, { error: key('roleInvalid') }),
    name: nameField,
    email: emailField,
    password: newPasswordField,
    language: languageField,
  })
  .superRefine(notTheEmail);
export type CreateUserInput = z.output<typeof createUserSchema>;
