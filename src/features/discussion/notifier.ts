import type { i18n as I18n } from 'i18next';
import { isDuplicateKey } from '../../platform/database';
import type { Mailer } from '../../platform/mailer';
import type { PostDoc, ThreadDoc } from './discussion.models';
import type { NoticeKind, NotificationModels } from './notification.models';
import type { CohortAccess, Membership, People, Person } from './ports';
import type { PrefsService } from './prefs.service';
import type { UnsubscribeTokens } from './unsubscribe-token';

/** The text of a post as an e-mail quotes it: plain, and not too long. */
export const excerpt = (body: string, max = 600) => (body.length > max ? `${body.slice(0, max).trimEnd()}…` : body);

export type Links = { baseUrl: string; tokens: UnsubscribeTokens };

/** What both the notices and the digest need to write to a person: who, whether they want it, and how. */
export type MailingDeps = {
  people: People;
  prefs: PrefsService;
  mailer: Mailer;
  i18n: I18n;
  links: Links;
  clock: () => Date;
};

/** An e-mail's unsubscribe link and headers (RFC 2369 and RFC 8058 one-click). */
export function unsubscribeParts(links: Links, userId: string, kind: NoticeKind) {
  const url = `${links.baseUrl}/discussion/unsubscribe/${links.tokens.make(userId, kind)}`;
  return { url, headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } };
}

/**
 * E-mails about new posts: replies to one's thread, mentions, announcements. Each is recorded as a
 * notice (`<postId>:<userId>`) before it is queued in the outbox, so one post e-mails a person at most once.
 */
export function createNotifier(deps: MailingDeps & { models: NotificationModels; membership: Membership; onError: (err: unknown) => void }) {
  const { models, membership, people, prefs, mailer, i18n, links, clock } = deps;

  async function send(to: Person, kind: NoticeKind, thread: ThreadDoc, post: PostDoc, writer: Person | undefined, cohortName: string) {
    try {
      await models.Notice.create({ _id: `${post._id}:${to.id}`, userId: to.id, postId: String(post._id), kind, at: clock() });
    } catch (err) {
      if (isDuplicateKey(err)) return;
      throw err;
    }
    const t = i18n.getFixedT(to.language, 'discussion');
    const vars = { name: writer?.name ?? '—', title: thread.title, cohort: cohortName };
    const unsubscribe = unsubscribeParts(links, to.id, kind);
    const text = [
      t('email.greeting', { name: to.name }),
      '',
      t(`email.${kind}.intro`, vars),
      '',
      excerpt(post.body),
      '',
      t('email.read'),
      `${links.baseUrl}/cohorts/${thread.cohortId}/discussion/${thread._id}#post-${post._id}`,
      '',
      t('email.why', { kind: t(`email.kinds.${kind}`) }),
      t('email.unsubscribe'),
      unsubscribe.url,
    ].join('\n');
    await mailer.send({ to: to.email, subject: t(`email.${kind}.subject`, vars), text, headers: unsubscribe.headers });
  }

  return {
    async written(input: { access: CohortAccess; thread: ThreadDoc; post: PostDoc; mentioned: string[] }) {
      const { access, thread, post, mentioned } = input;
      const wanted = new Map<string, NoticeKind>();
      const [members, trainers] = await Promise.all([membership.memberIds(thread.cohortId), membership.trainerIds(thread.cohortId)]);
      const inCohort = new Set([...members, ...trainers]);
      if (post.opening && thread.kind === 'announcement') for (const id of inCohort) wanted.set(id, 'announcements');
      if (!post.opening && thread.authorId !== post.authorId) wanted.set(thread.authorId, 'replies');
      for (const id of mentioned) if (!wanted.has(id)) wanted.set(id, 'mentions');
      wanted.delete(post.authorId);
      for (const id of wanted.keys()) if (!inCohort.has(id)) wanted.delete(id);
      if (wanted.size === 0) return;
      const ids = [...wanted.keys()];
      const [persons, choices] = await Promise.all([people([...ids, post.authorId]), prefs.many(ids)]);
      for (const [id, kind] of wanted) {
        const person = persons.get(id);
        const choice = choices.get(id);
        if (!person || !choice || kind === 'digest' || !choice[kind]) continue;
        // the post is stored: a mail that cannot be queued is reported, never the writer's problem
        await send(person, kind, thread, post, persons.get(post.authorId), access.cohort.name).catch(deps.onError);
      }
    },
  };
}
export type Notifier = ReturnType<typeof createNotifier>;
