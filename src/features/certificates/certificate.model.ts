import { modelOn } from '../../platform/database/models';
import { type Connection, Schema } from 'mongoose';
import type { Language } from '../../platform/i18n';
import type { Localized } from '../content';

/*
 * Everything here is inserted once and never updated (DESIGN.md: FerretDB applies updates as
 * read-modify-write, so an update racing another can lose it). Every lookup a page makes is by
 * `_id`, the one lookup FerretDB's SQLite backend indexes:
 *   certificate_slots         `<userId>:<course>:<generation>` → the frozen facts and the code.
 *                             Claiming a slot is what issues: the primary key lets one issuer win a
 *                             race, so a learner never holds two valid certificates at once.
 *   certificate_pdfs          code → the PDF as issued (its SHA-256 is what the verify page shows)
 *   certificates              code → the facts, the PDF's hash and the signed credential
 *   certificate_revocations   code → when, why and by whom
 *   certificate_status_indexes  a status list index → the code it was allocated to; the primary
 *                             key lets one certificate take an index (status-list.ts)
 * A certificate is superseded when its learner's next generation's slot exists (a re-issue).
 */

export type CertificateFacts = {
  holderName: string;
  /** the e-mail at issue time, for admins searching; never shown publicly */
  holderEmail: string;
  /** the learner's language at issue time: the PDF's and the credential's */
  language: Language;
  courseTitle: Localized;
  modules: { id: string; version: number; title: Localized }[];
  completedAt: Date;
  issuer: { organisation: string; signatory: string };
  issuedAt: Date;
};

export type CertificateSlotDoc = {
  _id: string;
  userId: string;
  generation: number;
  code: string;
  /** the code this slot's certificate replaces (a re-issue) */
  replaces?: string;
  /** why it was re-issued: shown on the replaced code's public page */
  reissueReason?: ReissueReason;
  facts: CertificateFacts;
};

export type CertificateDoc = CertificateFacts & {
  _id: string;
  slotId: string;
  userId: string;
  generation: number;
  replaces?: string;
  pdfSha256: string;
  pdfBytes: number;
  /** the Open Badges 3.0 credential as a VC-JWT (compact JWS, Ed25519) */
  credential: string;
  /** its bit in the revocation status list; absent on certificates issued before the list existed */
  statusListIndex?: number;
};

/** A status list index, taken by the certificate (code) it was allocated to. */
export type CertificateStatusIndexDoc = { _id: number; code: string };

export type CertificatePdfDoc = { _id: string; data: Buffer };

export const REVOCATION_REASONS = ['issuedInError', 'misconduct', 'holderRequest', 'other'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];
export const REISSUE_REASONS = ['nameCorrected', 'detailsCorrected', 'holderRequest', 'other'] as const;
export type ReissueReason = (typeof REISSUE_REASONS)[number];

export type CertificateRevocationDoc = {
  _id: string;
  reason: RevocationReason;
  /** for admins only; the public page shows the reason's category */
  note?: string;
  revokedAt: Date;
  revokedById: string;
  revokedByEmail: string;
};

const localized = { type: Object, required: true };

const factsFields = {
  holderName: { type: String, required: true },
  holderEmail: { type: String, required: true },
  language: { type: String, required: true },
  courseTitle: localized,
  modules: { type: [{ _id: false, id: String, version: Number, title: Object }], required: true },
  completedAt: { type: Date, required: true },
  issuer: { type: { _id: false, organisation: String, signatory: String }, required: true },
  issuedAt: { type: Date, required: true },
};

const slotSchema = new Schema<CertificateSlotDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    generation: { type: Number, required: true },
    code: { type: String, required: true },
    replaces: { type: String },
    reissueReason: { type: String, enum: REISSUE_REASONS },
    facts: { type: new Schema(factsFields, { _id: false }), required: true },
  },
  { collection: 'certificate_slots', versionKey: false, minimize: false },
);
slotSchema.index({ userId: 1 });

const certificateSchema = new Schema<CertificateDoc>(
  {
    _id: { type: String, required: true },
    slotId: { type: String, required: true },
    userId: { type: String, required: true },
    generation: { type: Number, required: true },
    replaces: { type: String },
    ...factsFields,
    pdfSha256: { type: String, required: true },
    pdfBytes: { type: Number, required: true },
    credential: { type: String, required: true },
    statusListIndex: { type: Number },
  },
  { collection: 'certificates', versionKey: false, minimize: false },
);
certificateSchema.index({ userId: 1, generation: 1 });
// admins list certificates newest first, _id breaking ties: the index serves that sort
certificateSchema.index({ issuedAt: -1, _id: -1 });

const pdfSchema = new Schema<CertificatePdfDoc>(
  { _id: { type: String, required: true }, data: { type: Buffer, required: true } },
  { collection: 'certificate_pdfs', versionKey: false },
);

const revocationSchema = new Schema<CertificateRevocationDoc>(
  {
    _id: { type: String, required: true },
    reason: { type: String, enum: REVOCATION_REASONS, required: true },
    note: { type: String, maxlength: 500 },
    revokedAt: { type: Date, required: true },
    revokedById: { type: String, required: true },
    revokedByEmail: { type: String, required: true },
  },
  { collection: 'certificate_revocations', versionKey: false },
);

const statusIndexSchema = new Schema<CertificateStatusIndexDoc>(
  { _id: { type: Number, required: true }, code: { type: String, required: true } },
  { collection: 'certificate_status_indexes', versionKey: false },
);

export function certificateModels(connection: Connection) {
  return {
    CertificateSlot: modelOn(connection, 'CertificateSlot', slotSchema),
    Certificate: modelOn(connection, 'Certificate', certificateSchema),
    CertificatePdf: modelOn(connection, 'CertificatePdf', pdfSchema),
    CertificateRevocation: modelOn(connection, 'CertificateRevocation', revocationSchema),
    CertificateStatusIndex: modelOn(connection, 'CertificateStatusIndex', statusIndexSchema),
  };
}

export type CertificateModels = ReturnType<typeof certificateModels>;


/** A stored binary as a Buffer: lean reads hand back the driver's Binary, not a Buffer. */
export function asBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  const bytes = (data as { buffer: Uint8Array }).buffer;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
