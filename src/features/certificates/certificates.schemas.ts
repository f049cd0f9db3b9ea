import { z } from 'zod';
import { REISSUE_REASONS, REVOCATION_REASONS } from './certificate.model';

/** The admins' list: a search text and a page; anything odd falls back to the first page of everything. */
export const certificateListQuery = z.object({
  q: z.string().trim().max(100).catch('').default(''),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

export const revokeForm = z.object({
  reason: z.enum(REVOCATION_REASONS, { error: 'certificates:admin.reasonRequired' }),
  note: z
    .string()
    .trim()
    .max(500, 'certificates:admin.noteTooLong')
    .optional()
    .transform((v) => v || undefined),
});

export const reissueForm = z.object({
  reissueReason: z.enum(REISSUE_REASONS, { error: 'certificates:admin.reissueReasonRequired' }),
});

/** What a visitor typed or pasted into the verification form: a code, a link, or a credential. */
export const verifyQuery = z.object({
  code: z.string().trim().max(20_000, 'certificates:verify.invalid').optional(),
});
