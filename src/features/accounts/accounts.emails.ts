import type { i18n as I18n } from 'i18next';
import type { Language } from '../../platform/i18n';
import type { Mailer } from '../../platform/mailer';
import type { ResetEmails } from './password-reset.service';

/** The accounts feature's e-mails, each written in the recipient's own language. Plain text reads everywhere. */
export function createAccountEmails(deps: { mailer: Mailer; i18n: I18n; baseUrl: string }): ResetEmails & {
  welcome(user: { email: string; name: string; language: Language }): Promise<void>;
} {
  const { mailer, i18n, baseUrl } = deps;
  return {
    /** After sign-up: what the course is and where to start. */
    async welcome({ email, name, language }) {
      const t = i18n.getFixedT(language, 'accounts');
      const text = [
        t('email.welcome.greeting', { name }),
        '',
        t('email.welcome.intro'),
        '',
        t('email.welcome.start'),
        `${baseUrl}/dashboard`,
        '',
        t('email.welcome.modules'),
        `${baseUrl}/modules`,
        '',
        t('email.welcome.cohort'),
        `${baseUrl}/cohorts/join`,
        '',
        t('email.signature'),
      ].join('\n');
      await mailer.send({ to: email, subject: t('email.welcome.subject'), text });
    },

    async passwordReset({ to, name, language, token }) {
      const t = i18n.getFixedT(language, 'accounts');
      const link = `${baseUrl}/password/reset/${token}`;
      const text = [
        t('email.reset.greeting', { name }),
        '',
        t('email.reset.intro'),
        '',
        link,
        '',
        t('email.reset.expiry'),
        t('email.reset.ignore'),
        '',
        t('email.signature'),
      ].join('\n');
      await mailer.send({ to, subject: t('email.reset.subject'), text });
    },
  };
}
