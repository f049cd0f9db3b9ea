import type { i18n as I18n } from 'i18next';
import { createFormatter } from '../../platform/format';
import { LANGUAGES, type Language } from '../../platform/i18n';
import type { Localized } from '../content';
import type { CertificateWording } from './certificate-pdf';

/**
 * The words a certificate and its credential carry, in a given language. The service asks for
 * them at issue time and freezes the result; it never sees i18next itself.
 */
export type CertificateTexts = {
  courseTitle(): Localized;
  formatDate(lng: Language, date: Date): string;
  /** who signs when CERTIFICATE_SIGNATORY is not set, in the certificate's language */
  defaultSignatory(lng: Language): string;
  pdf(lng: Language, vars: { date: string }): CertificateWording;
  credential(lng: Language, vars: { course: string; modules: string }): { name: string; description: string; criteria: string };
};

export function createCertificateTexts(i18n: I18n): CertificateTexts {
  const t = (lng: Language) => i18n.getFixedT(lng, 'certificates');
  return {
    courseTitle() {
      return Object.fromEntries(LANGUAGES.map((lng) => [lng, t(lng)('course.title')])) as Localized;
    },
    defaultSignatory(lng) {
      return t(lng)('pdf.defaultSignatory');
    },
    formatDate(lng, date) {
      // Calendar days in the platform's zone, so a certificate reads the same wherever it is opened.
      return createFormatter(lng).longDate(date);
    },
    pdf(lng, vars) {
      const tr = t(lng);
      return {
        heading: tr('pdf.heading'),
        certifies: tr('pdf.certifies'),
        completedCourse: tr('pdf.completedCourse'),
        modulesHeading: tr('pdf.modulesHeading'),
        completedOn: tr('pdf.completedOn', vars),
        verifyAt: tr('pdf.verifyAt'),
        codeLabel: tr('pdf.codeLabel'),
      };
    },
    credential(lng, vars) {
      const tr = t(lng);
      return {
        name: tr('credential.name', vars),
        description: tr('credential.description', vars),
        criteria: tr('credential.criteria'),
      };
    },
  };
}
