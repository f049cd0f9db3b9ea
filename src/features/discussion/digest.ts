import { Types } from 'mongoose';
import { isDuplicateKey } from '../../platform/database';
import type { DiscussionModels, PostDoc, ThreadDoc } from './discussion.models';
import type { DigestDoc, NotificationModels } from './notification.models';
import { excerpt, type MailingDeps, unsubscribeParts } from './notifier';
import type { Membership } from './ports';

const DAY = 24 * 3600_000;
export const DIGEST_PERIODS = { daily: DAY, weekly: 7 * DAY } as const;

/**
 * The daily or weekly digest: what is new in a person's cohorts since their last digest (a first
 * one covers one period, none reaches back more than a week), written by others and not hidden. One digest per person and period: its document
 * (`<userId>:<frequency>:<period number>`) is inserted before the e-mail is queued, so two servers
 * running the job at once send it once. Run by a timer in each server and by `npm run cli -- send-digests`.
 */
export function createDigestJob(
  deps: MailingDeps & {
    discussion: DiscussionModels;
    notifications: NotificationModels;
    membership: Membership & { everyoneIn(cohortIds: string[]): Promise<Map<string, string[]>> };
  },
) {
  const { discussion, notifications, membership, people, prefs, mailer, i18n, links, clock } = deps;

  async function mail(userId: string, items: PostDoc[], threads: Map<string, ThreadDoc>, person: { name: string; email: string; language: 'en' | 'es' | 'fr' }) {
    const t = i18n.getFixedT(person.language, 'discussion');
    const unsubscribe = unsubscribeParts(links, userId, 'digest');
    const lines = items.flatMap((p) => {
      const thread = threads.get(p.threadId);
      return [`• ${thread?.title ?? ''}`, `  ${excerpt(p.body, 200).replace(/\n/g, ' ')}`, `  ${links.baseUrl}/cohorts/${p.cohortId}/discussion/${p.threadId}#post-${p._id}`, ''];
    });
    const text = [t('email.greeting', { name: person.name }), '', t('email.digest.intro', { count: items.length }), '', ...lines, t('email.why', { kind: t('email.kinds.digest') }), t('email.unsubscribe'), unsubscribe.url].join('\n');
    await mailer.send({ to: person.email, subject: t('email.digest.subject', { count: items.length }), text, headers: unsubscribe.headers });
  }

  return {
    /** Sends the digests that are due now; resolves with how many were sent. */
    async run(): Promise<number> {
      const now = clock();
      const recent = await discussion.Post.find({ createdAt: { $gt: new Date(now.getTime() - DIGEST_PERIODS.weekly), $lte: now } }).lean<PostDoc[]>();
      if (recent.length === 0) return 0;
      const byCohort = await membership.everyoneIn([...new Set(recent.map((p) => p.cohortId))]);
      const cohortsOf = new Map<string, string[]>();
      for (const [cohortId, ids] of byCohort) for (const id of ids) cohortsOf.set(id, [...(cohortsOf.get(id) ?? []), cohortId]);
      const userIds = [...cohortsOf.keys()];
      const [choices, persons] = await Promise.all([prefs.many(userIds), people(userIds)]);
      const threadIds = [...new Set(recent.map((p) => p.threadId))].map((id) => new Types.ObjectId(id));
      const threads = new Map((await discussion.Thread.find({ _id: { $in: threadIds } }).lean<ThreadDoc[]>()).map((t) => [String(t._id), t]));
      let sent = 0;
      for (const userId of userIds) {
        const choice = choices.get(userId)?.digest ?? 'off';
        const person = persons.get(userId);
        if (choice === 'off' || !person) continue;
        const period = DIGEST_PERIODS[choice];
        const key = `${userId}:${choice}:${Math.floor(now.getTime() / period)}`;
        if (await notifications.Digest.exists({ _id: key })) continue;
        const last = await notifications.Digest.findOne({ userId }).sort({ until: -1 }).lean<DigestDoc>();
        // since the last digest (at most a week back, what `recent` holds); a first digest covers one period
        const since = last ? last.until : new Date(now.getTime() - period);
        const mine = new Set(cohortsOf.get(userId));
        const items = recent
          .filter((p) => mine.has(p.cohortId) && p.createdAt > since && p.authorId !== userId && !p.hidden && !threads.get(p.threadId)?.hidden)
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
        if (items.length === 0) continue;
        try {
          await notifications.Digest.create({ _id: key, userId, since, until: now, items: items.length });
        } catch (err) {
          if (isDuplicateKey(err)) continue;
          throw err;
        }
        await mail(userId, items, threads, person);
        sent++;
      }
      return sent;
    },
  };
}
export type DigestJob = ReturnType<typeof createDigestJob>;

/** Runs the digest job every `everyMs` (an hour by default) until stopped. */
export function startDigestTimer(job: DigestJob, onError: (err: unknown) => void, everyMs = 3600_000): () => void {
  const timer = setInterval(() => void job.run().catch(onError), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
