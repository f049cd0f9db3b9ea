import type { i18n as I18n } from 'i18next';
import { isLanguage, type Language } from '../../platform/i18n';
import type { Mailer } from '../../platform/mailer';
import type { Cohort } from './cohorts.service';

/**
 * The cohort e-mails, each queued in the outbox in the reader's language: a learner enrolled by a
 * trainer is told so; an address on the trainer's list with no account yet gets an invitation whose
 * link signs them up and brings them to the cohort's join form with its code filled in. Without an
 * account there is no known language: the cohort's own is used.
 */
export function createCohortEmails(deps: { mailer: Mailer; i18n: I18n; baseUrl: string }) {
  const { mailer, i18n, baseUrl } = deps;
  const signature = (lng: Language) => i18n.getFixedT(lng, 'accounts')('email.signature');

  return {
    async enrolled(cohort: Cohort, people: { email: string; name: string; language?: string }[]) {
      for (const p of people) {
        const lng = isLanguage(p.language) ? p.language : 'en';
        const t = i18n.getFixedT(lng, 'cohorts');
        const text = [
          t('email.enrolled.greeting', { name: p.name }),
          '',
          t('email.enrolled.intro', { cohort: cohort.name }),
          '',
          t('email.enrolled.start'),
          `${baseUrl}/dashboard`,
          '',
          signature(lng),
        ].join('\n');
        await mailer.send({ to: p.email, subject: t('email.enrolled.subject', { cohort: cohort.name }), text });
      }
    },

    async invited(cohort: Cohort, emails: string[]) {
      const lng: Language = isLanguage(cohort.language) ? cohort.language : 'en';
      const t = i18n.getFixedT(lng, 'cohorts');
      const joinPath = `/cohorts/join?code=${cohort.joinCode}`;
      const link = `${baseUrl}/register?lng=${lng}&next=${encodeURIComponent(joinPath)}`;
      for (const to of emails) {
        const text = [
          t('email.invited.greeting'),
          '',
          t('email.invited.intro', { cohort: cohort.name }),
          '',
          t('email.invited.signUp'),
          link,
          '',
          t('email.invited.haveAccount'),
          `${baseUrl}/login?next=${encodeURIComponent(joinPath)}`,
          '',
          signature(lng),
        ].join('\n');
        await mailer.send({ to, subject: t('email.invited.subject', { cohort: cohort.name }), text });
      }
    },
  };
}

export type CohortEmails = ReturnType<typeof createCohortEmails>;
