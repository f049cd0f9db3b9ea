import { escapeRegex, insertOnce, paginate } from '../../platform/database';
import type { Actor as ActingUser } from '../../platform/roles';
import type { AuditLog } from '../audit';
import { formatCode, parseCode } from './certificate-code';
import { type Issuing, slotId } from './certificate-issuing';
import {
  asBuffer,
  type CertificateDoc,
  type CertificateModels,
  type CertificateRevocationDoc,
  type CertificateSlotDoc,
  type RevocationReason,
} from './certificate.model';

export type CertificateStatus =
  | { state: 'valid' }
  | { state: 'revoked'; at: Date; reason: RevocationReason; note?: string; by: string }
  | { state: 'superseded'; at: Date; by: string };

export type CertificateWithStatus = { certificate: CertificateDoc; status: CertificateStatus };

export type Actor = Pick<ActingUser, 'id' | 'email'>;

export type AdminOutcome =
  | { status: 'ok'; code: string }
  | { status: 'not-found' }
  | { status: 'already-revoked' }
  | { status: 'superseded' }
  | { status: 'no-completion' };

const PER_PAGE = 20;
/** Lists never carry the signed credential: it is fetched on its own when downloaded. */
const LIST_FIELDS = { credential: 0 } as const;

function statusOf(revocation: CertificateRevocationDoc | undefined, next: CertificateSlotDoc | undefined): CertificateStatus {
  if (revocation) {
    return { state: 'revoked', at: revocation.revokedAt, reason: revocation.reason, note: revocation.note, by: revocation.revokedByEmail };
  }
  if (next) return { state: 'superseded', at: next.facts.issuedAt, by: next.code };
  return { state: 'valid' };
}

/**
 * Certificates as the pages see them: the learner's own, a code's public status, the PDF, and the
 * admins' revoke and re-issue (both written to the audit log). Issuing itself is in certificate-issuing.ts.
 */
export function createCertificateService(deps: { models: CertificateModels; issuing: Issuing; audit: AuditLog }) {
  const { models, issuing, audit } = deps;

  /** Statuses for many certificates in two queries, whatever their number. */
  async function withStatuses(certificates: CertificateDoc[]): Promise<CertificateWithStatus[]> {
    if (certificates.length === 0) return [];
    const [revocations, nexts] = await Promise.all([
      models.CertificateRevocation.find({ _id: { $in: certificates.map((c) => c._id) } }).lean<CertificateRevocationDoc[]>(),
      models.CertificateSlot.find({ _id: { $in: certificates.map((c) => slotId(c.userId, c.generation + 1)) } }).lean<
        CertificateSlotDoc[]
      >(),
    ]);
    const revoked = new Map(revocations.map((r) => [r._id, r]));
    const next = new Map(nexts.map((s) => [s._id, s]));
    return certificates.map((certificate) => ({
      certificate,
      status: statusOf(revoked.get(certificate._id), next.get(slotId(certificate.userId, certificate.generation + 1))),
    }));
  }

  /** One certificate and its status: three lookups by primary key. */
  async function byCode(input: unknown): Promise<CertificateWithStatus | undefined> {
    const code = parseCode(input);
    if (!code) return undefined;
    const certificate = await models.Certificate.findById(code).lean<CertificateDoc>();
    if (!certificate) return undefined;
    const [revocation, next] = await Promise.all([
      models.CertificateRevocation.findById(code).lean<CertificateRevocationDoc>(),
      models.CertificateSlot.findById(slotId(certificate.userId, certificate.generation + 1)).lean<CertificateSlotDoc>(),
    ]);
    return { certificate, status: statusOf(revocation ?? undefined, next ?? undefined) };
  }

  return {
    byCode,
    ensureIssued: issuing.ensureIssued,
    verifyUrl: issuing.verifyUrl,

    /** The learner's current certificate (issued now if due) and its status. */
    async currentFor(userId: string): Promise<CertificateWithStatus | undefined> {
      const certificate = await issuing.ensureIssued(userId);
      if (!certificate) return undefined;
      const revocation = await models.CertificateRevocation.findById(certificate._id).lean<CertificateRevocationDoc>();
      return { certificate, status: statusOf(revocation ?? undefined, undefined) };
    },

    /** Whether the learner holds a certificate, issuing it if due: one primary-key lookup once it exists. */
    async hasCertificate(userId: string): Promise<boolean> {
      if (await models.CertificateSlot.exists({ _id: slotId(userId, 1) })) return true;
      return (await issuing.issueFirst(userId)) !== undefined;
    },

    /** The PDF exactly as issued, for its holder or an admin (`canManage`); anyone else gets undefined. */
    async pdfFor(input: unknown, viewer: { id: string; canManage: boolean }): Promise<{ code: string; data: Buffer } | undefined> {
      const code = parseCode(input);
      if (!code) return undefined;
      const certificate = await models.Certificate.findById(code, { userId: 1 }).lean();
      if (!certificate || (certificate.userId !== viewer.id && !viewer.canManage)) return undefined;
      const pdf = await models.CertificatePdf.findById(code).lean();
      if (!pdf) return undefined;
      return { code, data: asBuffer(pdf.data) };
    },

    async list(input: { q: string; page: number }) {
      const code = parseCode(input.q);
      const filter = code
        ? { _id: code }
        : input.q
          ? { $or: [{ holderName: { $regex: escapeRegex(input.q), $options: 'i' } }, { holderEmail: { $regex: escapeRegex(input.q), $options: 'i' } }] }
          : {};
      const { docs, page, pages, total } = await paginate(models.Certificate, filter, {
        page: input.page,
        perPage: PER_PAGE,
        sort: { issuedAt: -1, _id: -1 },
        projection: LIST_FIELDS,
      });
      return { rows: await withStatuses(docs), q: input.q, page, pages, total };
    },

    /** Every certificate the learner was issued, oldest first. */
    async historyOf(userId: string): Promise<CertificateWithStatus[]> {
      const docs = await models.Certificate.find({ userId }, LIST_FIELDS).sort({ generation: 1 }).lean<CertificateDoc[]>();
      return withStatuses(docs);
    },

    async revoke(actor: Actor, input: { code: string; reason: RevocationReason; note?: string }, ip: string): Promise<AdminOutcome> {
      const found = await byCode(input.code);
      if (!found) return { status: 'not-found' };
      const { certificate } = found;
      const revocation: CertificateRevocationDoc = {
        _id: certificate._id,
        reason: input.reason,
        revokedAt: new Date(),
        revokedById: actor.id,
        revokedByEmail: actor.email,
      };
      if (input.note) revocation.note = input.note;
      if (!(await insertOnce(() => models.CertificateRevocation.create(revocation)))) return { status: 'already-revoked' };
      await audit.record({
        action: 'certificate.revoked',
        actor,
        target: { id: certificate.userId, email: certificate.holderEmail },
        ip,
        details: { code: formatCode(certificate._id), reason: input.reason, ...(input.note ? { note: input.note } : {}) },
      });
      return { status: 'ok', code: certificate._id };
    },

    async reissue(actor: Actor, input: { code: string }, ip: string): Promise<AdminOutcome> {
      const found = await byCode(input.code);
      if (!found) return { status: 'not-found' };
      const outcome = await issuing.reissue(found.certificate);
      if (typeof outcome === 'string') return { status: outcome };
      await audit.record({
        action: 'certificate.reissued',
        actor,
        target: { id: outcome.userId, email: outcome.holderEmail },
        ip,
        details: { code: formatCode(found.certificate._id), newCode: formatCode(outcome._id) },
      });
      return { status: 'ok', code: outcome._id };
    },
  };
}

export type CertificateService = ReturnType<typeof createCertificateService>;
