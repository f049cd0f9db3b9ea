import type { i18n as I18n } from 'i18next';
import type { Mailer } from '../../platform/mailer';
import { formatCode } from './certificate-code';
import type { CertificateDoc } from './certificate.model';

/** The e-mail a learner gets when a certificate is issued to them, in the language it was issued in, with the PDF attached. */
export function createCertificateEmails(deps: { mailer: Mailer; i18n: I18n; baseUrl: string }) {
  const { mailer, i18n, baseUrl } = deps;
  return {
    async issued(certificate: CertificateDoc, pdf: Buffer) {
      const lng = certificate.language;
      const t = i18n.getFixedT(lng, 'certificates');
      const course = certificate.courseTitle[lng];
      const code = formatCode(certificate._id);
      const text = [
        t('email.greeting', { name: certificate.holderName }),
        '',
        t('email.intro', { course }),
        '',
        t('email.page'),
        `${baseUrl}/certificate`,
        '',
        t('email.verify'),
        `${baseUrl}/verify/${code}`,
        '',
        t('email.signature'),
      ].join('\n');
      await mailer.send({
        to: certificate.holderEmail,
        subject: t('email.subject', { course }),
        text,
        attachments: [{ filename: `certificate-${code}.pdf`, content: pdf, contentType: 'application/pdf' }],
      });
    },
  };
}
