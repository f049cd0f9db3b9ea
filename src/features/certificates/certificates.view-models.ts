import { createFormatter } from '../../platform/format';
import type { Language } from '../../platform/i18n';
import { formatCode } from './certificate-code';
import type { CertificateDoc } from './certificate.model';
import type { CertificateStatus } from './certificates.service';

/** A calendar day as the certificate prints it ("29 November 2026"), through the platform's one formatter. */
export function formatDay(lng: Language, date: Date): string {
  return createFormatter(lng).longDate(date);
}

export const certificateLinks = (code: string) => {
  const grouped = formatCode(code);
  return {
    pdfHref: `/certificates/${grouped}.pdf`,
    credentialHref: `/certificates/${grouped}/credential.json`,
    verifyHref: `/verify/${grouped}`,
    adminHref: `/admin/certificates/${grouped}`,
  };
};

/** What a page shows of a certificate, in the reader's language (the frozen titles have all three). */
export function certificateView(certificate: CertificateDoc, lng: Language) {
  return {
    code: formatCode(certificate._id),
    holderName: certificate.holderName,
    holderEmail: certificate.holderEmail,
    course: certificate.courseTitle[lng] ?? certificate.courseTitle.en,
    modules: certificate.modules.map((m) => m.title[lng] ?? m.title.en),
    completedOn: formatDay(lng, certificate.completedAt),
    completedAt: certificate.completedAt.toISOString(),
    issuedOn: formatDay(lng, certificate.issuedAt),
    issuedAt: certificate.issuedAt.toISOString(),
    issuer: certificate.issuer,
    sha256: certificate.pdfSha256,
    generation: certificate.generation,
    ...certificateLinks(certificate._id),
  };
}

/** The status as a page shows it; who revoked it, the admins' note and the newer code are for admins only. */
export function statusView(status: CertificateStatus, lng: Language, audience: 'public' | 'admin' = 'public') {
  if (status.state === 'valid') return { state: status.state };
  const base = { state: status.state, date: formatDay(lng, status.at), at: status.at.toISOString() };
  const reason = status.reason;
  if (audience === 'public') return { ...base, reason };
  return {
    ...base,
    reason,
    note: status.state === 'revoked' ? status.note : undefined,
    by: status.state === 'revoked' ? status.by : formatCode(status.by),
  };
}

export type CertificateView = ReturnType<typeof certificateView>;
export type StatusView = ReturnType<typeof statusView>;
