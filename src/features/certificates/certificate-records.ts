import { inChunks } from '../../platform/database';
import type { CertificateDoc, CertificateModels, CertificateRevocationDoc } from './certificate.model';

/** What reports need of a certificate. */
export type CertificateRecord = Pick<CertificateDoc, '_id' | 'userId' | 'generation' | 'issuedAt'>;
export type CertificateEvent = { at: Date; kind: 'certificateIssued' | 'certificateRevoked'; code: string };

const FIELDS = { userId: 1, generation: 1, issuedAt: 1 } as const;

/**
 * The learner's valid certificate: their latest generation (a re-issue supersedes the ones
 * before), unless it was revoked. The one rule for it outside the certificate pages.
 */
export function validCertificate<C extends Pick<CertificateDoc, '_id' | 'generation'>>(
  certificates: readonly C[],
  revoked: ReadonlySet<string>,
): C | undefined {
  const latest = certificates.reduce<C | undefined>((a, c) => (!a || c.generation > a.generation ? c : a), undefined);
  return latest && !revoked.has(latest._id) ? latest : undefined;
}

/** Read functions for other features' reports: every query filters on `userId` or `_id`. */
export function createCertificateRecords(models: CertificateModels) {
  const { Certificate, CertificateRevocation } = models;

  async function revokedAmong(codes: readonly string[]): Promise<CertificateRevocationDoc[]> {
    return inChunks(codes, (ids) => CertificateRevocation.find({ _id: { $in: ids } }, { revokedAt: 1 }).lean<CertificateRevocationDoc[]>());
  }

  return {
    /** Each learner's valid certificate, if any: one query per collection for each IN_CHUNK learners. */
    async validOf(userIds: readonly string[]): Promise<Map<string, CertificateRecord>> {
      const certificates = await inChunks(userIds, (ids) =>
        Certificate.find({ userId: { $in: ids } }, FIELDS).lean<CertificateRecord[]>(),
      );
      const byUser = new Map<string, CertificateRecord[]>();
      for (const c of certificates) byUser.set(c.userId, [...(byUser.get(c.userId) ?? []), c]);
      // each learner's latest generation; it is their valid one unless it was revoked
      const latest = [...byUser.values()].map((list) => list.reduce((a, c) => (c.generation > a.generation ? c : a)));
      const revoked = new Set((await revokedAmong(latest.map((c) => c._id))).map((r) => r._id));
      const valid = new Map<string, CertificateRecord>();
      for (const c of latest) if (!revoked.has(c._id)) valid.set(c.userId, c);
      return valid;
    },

    /** One learner's certificates as events (issued, revoked), with their valid one. */
    async ofLearner(userId: string): Promise<{ valid: CertificateRecord | undefined; events: CertificateEvent[] }> {
      const certificates = await Certificate.find({ userId }, FIELDS).lean<CertificateRecord[]>();
      const revocations = await revokedAmong(certificates.map((c) => c._id));
      const events: CertificateEvent[] = [
        ...certificates.map((c) => ({ at: c.issuedAt, kind: 'certificateIssued' as const, code: c._id })),
        ...revocations.map((r) => ({ at: r.revokedAt, kind: 'certificateRevoked' as const, code: r._id })),
      ];
      return { valid: validCertificate(certificates, new Set(revocations.map((r) => r._id))), events };
    },
  };
}

export type CertificateRecordsReader = ReturnType<typeof createCertificateRecords>;
