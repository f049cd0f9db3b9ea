/**
 * Discussion: peer exchange inside a cohort — threads (a discussion, a shared practice, a shared
 * plan, a trainers' announcement), replies, moderation, and the e-mails about them.
 */
import type { Request } from 'express';
import type { i18n as I18n } from 'i18next';
import { type Connection, Types } from 'mongoose';
import { createAttemptLimiter } from '../../platform/attempt-limiter';
import type { Mailer } from '../../platform/mailer';
import { getUserModel } from '../accounts';
import { auditLogFor } from '../audit';
import { type MembershipService, membershipFor } from '../cohorts';
import { type ContentService, createContentService, type PublishedModule } from '../content';
import { createI18n } from '../../platform/i18n';
import type { PlanSharing } from '../plans';
import { createDigestJob } from './digest';
import { discussionController } from './discussion.controller';
import { discussionModels } from './discussion.models';
import { discussionRouter, unsubscribeRouter } from './discussion.routes';
import { moderationController } from './moderation.controller';
import { createModerationService } from './moderation.service';
import { notificationModels } from './notification.models';
import { notificationsController } from './notifications.controller';
import { createNotifier } from './notifier';
import type { People, Person } from './ports';
import { createPostingService } from './posting.service';
import { createPrefsService } from './prefs.service';
import { createReadingService } from './reading.service';
import { createUnsubscribeTokens } from './unsubscribe-token';

export { type DigestJob, startDigestTimer } from './digest';

export type DiscussionDeps = {
  connection: Connection;
  content: ContentService;
  membership: MembershipService;
  mailer: Mailer;
  i18n: I18n;
  baseUrl: string;
  /** signs the unsubscribe links */
  secret: string;
  plans?: PlanSharing;
  clock?: () => Date;
  onError?: (err: unknown) => void;
};

/** Names, addresses and languages of accounts, read through accounts' model in one query. */
function peopleOn(connection: Connection): People {
  const User = getUserModel(connection);
  return async (ids) => {
    const valid = ids.filter((id) => Types.ObjectId.isValid(id));
    if (valid.length === 0) return new Map();
    const users = await User.find({ _id: { $in: valid.map((id) => new Types.ObjectId(id)) } }, { name: 1, email: 1, language: 1 }).lean();
    return new Map(users.map((u) => [String(u._id), { id: String(u._id), name: u.name, email: u.email, language: u.language as Person['language'] }]));
  };
}

function services(deps: DiscussionDeps) {
  const { connection, membership, mailer, i18n } = deps;
  const clock = deps.clock ?? (() => new Date());
  const onError = deps.onError ?? (() => {});
  const models = discussionModels(connection);
  const notices = notificationModels(connection);
  const people = peopleOn(connection);
  const tokens = createUnsubscribeTokens(deps.secret);
  const links = { baseUrl: deps.baseUrl, tokens };
  const prefs = createPrefsService({ models: notices, clock });
  const notifier = createNotifier({ models: notices, membership, people, prefs, mailer, i18n, links, clock, onError });
  const reading = createReadingService({ models, membership, people, clock });
  const posting = createPostingService({ models, membership, people, content: deps.content, limiter: createAttemptLimiter(connection, clock), notifier, clock });
  const audit = auditLogFor(connection);
  const moderation = createModerationService({ models, audit, people, clock });
  const digest = createDigestJob({ discussion: models, notifications: notices, membership, people, prefs, mailer, i18n, links, clock });
  return { clock, models, reading, posting, moderation, prefs, tokens, audit, digest };
}

export function createDiscussion(deps: DiscussionDeps) {
  const s = services(deps);
  const notifications = notificationsController({ prefs: s.prefs, tokens: s.tokens, audit: s.audit });
  return {
    router: discussionRouter({
      membership: deps.membership,
      reading: s.reading,
      talk: discussionController({ reading: s.reading, posting: s.posting, content: deps.content, plans: deps.plans, clock: s.clock }),
      moderate: moderationController({ moderation: s.moderation }),
      notifications,
    }),
    unsubscribeRouter: unsubscribeRouter(notifications),
    digest: s.digest,
    /** What the dashboard adds (learning's DashboardExtras): the links to the discussions of the learner's cohorts. */
    async dashboardLinks(userId: string) {
      return (await deps.membership.cohortsOf(userId)).map((c) => ({ name: c.name, href: `/cohorts/${c.id}/discussion` }));
    },
    /** What /profile adds: the e-mail choices. */
    profileExtras: notifications.profilePanel,
    /** What a lesson page adds: "N posts in your cohort about this lesson". */
    async lessonExtras(req: Request, module: PublishedModule, lessonId: string) {
      if (!req.user) return {};
      const found = await s.reading.aboutLesson(req.user.id, module.moduleId, lessonId);
      if (!found) return {};
      const query = `moduleId=${encodeURIComponent(module.moduleId)}&lessonId=${encodeURIComponent(lessonId)}`;
      return { lessonDiscussion: { count: found.count, href: `/cohorts/${found.cohortId}/discussion?${query}#new-thread` } };
    },
  };
}

/** The digest job alone, for the command line and the server's timer. */
export function createDiscussionDigest(connection: Connection, deps: { mailer: Mailer; baseUrl: string; secret: string; clock?: () => Date }) {
  const content = createContentService({ connection });
  return services({ connection, content, membership: membershipFor(connection), i18n: createI18n(), ...deps }).digest;
}

/** Indexes of the discussion collections; called by ensureIndexes (autoIndex is off on purpose). */
export async function createDiscussionIndexes(connection: Connection): Promise<void> {
  for (const model of [...Object.values(discussionModels(connection)), ...Object.values(notificationModels(connection))]) await model.createIndexes();
}
