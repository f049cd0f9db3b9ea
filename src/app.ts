import compression from 'compression';
import express, { type Express, type Router } from 'express';
import type { Connection } from 'mongoose';
import pinoHttp from 'pino-http';
import crypto from 'node:crypto';
import type { Config } from './config';
import { createAccounts, getUserModel } from './features/accounts';
import { createAdmin } from './features/admin';
import { ADMIN_CONTENT_UPLOAD_PATH, createAdminContent } from './features/admin-content';
import { auditLogFor } from './features/audit';
import { createCertificates } from './features/certificates';
import { contentRouter, createContentService, type PublishedModule } from './features/content';
import { createCohortReports } from './features/cohort-reports';
import { COHORT_ENROL_PATH, createCohorts } from './features/cohorts';
import { createDiscussion } from './features/discussion';
import { createHandbooks } from './features/handbook';
import { homeRouter } from './features/home';
import { offlineRouter } from './features/offline';
import { createPlans, planRecordsOn, planSharing } from './features/plans';
import { attemptGrantsOn, createLearning, createLearningEvents, type LearningEvents } from './features/learning';
import { createLti, ltiGradePassback } from './features/lti';
import { createXapi } from './features/xapi';
import { type ActivityObserver, observeAll } from './platform/activity';
import { createAttemptLimiter } from './platform/attempt-limiter';
import { requireRight } from './platform/auth-guards';
import { errorHandler, notFoundHandler } from './platform/error-handler';
import { plainCookies } from './platform/cookies';
import { requireDatabase } from './platform/database';
import { redactUrl } from './platform/log-redaction';
import { byPrefix } from './platform/route-prefix';
import { flashMessages } from './platform/flash';
import { healthRouter } from './platform/health';
import { createI18n, i18nHandler, rememberLanguageChoice } from './platform/i18n';
import type { Logger } from './platform/logger';
import type { Mailer } from './platform/mailer';
import { createOutbox } from './platform/outbox';
import { publicDir, viewsDir } from './platform/paths';
import { capPostsPerAddress, type PostCap } from './platform/post-cap';
import { createCsrf, securityHeaders } from './platform/security';
import { sessionMiddleware } from './platform/session';
import { viewLocals } from './platform/views';

export type AppDeps = {
  config: Config;
  connection: Connection;
  logger: Logger;
  /** defaults to the outbox in the database, which the server's worker sends from (platform/outbox.ts) */
  mailer?: Mailer;
  /** extra routers mounted after the built-in ones; tests use it to add routes that throw */
  extraRouters?: Router[];
  /** how often published releases are re-read (default 5 s): a publish elsewhere shows up within it */
  contentRefreshMs?: number;
  /** the coarse cap on POSTs per client address (default DEFAULT_POST_CAP) */
  postCap?: PostCap;
  /** domain events; tests pass their own to observe them */
  events?: LearningEvents;
  /** the time the cohort pages count from (at-risk inactivity, code expiry); tests move it */
  clock?: () => Date;
  /** more listeners to what learners do, besides xAPI and LTI grade passback; tests use it */
  activityObservers?: ActivityObserver[];
};

const BODY_LIMIT = '100kb';

/** Builds the Express app from its collaborators. Does no network or database I/O itself. */
export function createApp(deps: AppDeps): Express {
  const { config, connection, logger } = deps;
  const production = config.env === 'production';
  const app = express();
  const i18n = createI18n();
  // the package upload is multipart: its route checks the token once multer has read the form
  const csrf = createCsrf({ multipartPaths: [ADMIN_CONTENT_UPLOAD_PATH, COHORT_ENROL_PATH] });
  const mailer = deps.mailer ?? createOutbox(connection);
  const xapi = createXapi({ connection, baseUrl: config.baseUrl, endpoint: config.xapi?.endpoint });
  const listeners = [xapi.observer, ltiGradePassback(connection), ...(deps.activityObservers ?? [])].filter((o): o is ActivityObserver => o !== undefined);
  const activity = observeAll(listeners, (err, a) => logger.error({ err, activity: a.type }, 'recording a learning activity failed'));
  // shared collaborators, built once here and handed to the features that need them
  const audit = auditLogFor(connection);
  const User = getUserModel(connection);
  const limiter = createAttemptLimiter(connection);
  const content = createContentService({ connection, refreshMs: deps.contentRefreshMs });
  const events = deps.events ?? createLearningEvents((err) => logger.error({ err }, 'course completion listener failed'));
  const grants = attemptGrantsOn(connection, audit);
  const cohorts = createCohorts({
    connection,
    content,
    baseUrl: config.baseUrl,
    User,
    audit,
    limiter,
    grants,
    verifyCsrf: csrf.verifyParsedForm,
    mailer,
    i18n,
    clock: deps.clock,
  });
  const cohortReports = createCohortReports({ connection, content, cohorts: cohorts.service, User, grants, baseUrl: config.baseUrl, clock: deps.clock });
  const onMailError = (err: unknown) => logger.error({ err }, 'plan feedback e-mail failed');
  // finishing a required worksheet may complete its module (learning is built further down; this runs per request)
  const onWorksheetFinished = (userId: string, module: PublishedModule) => learning.progress.checkModuleCompletion(userId, module);
  const plans = createPlans({ connection, content, cohorts: cohorts.service, User, mailer, i18n, baseUrl: config.baseUrl, onMailError, onWorksheetFinished, activity });
  const discussion = createDiscussion({
    connection,
    content,
    membership: cohorts.membership,
    mailer,
    i18n,
    baseUrl: config.baseUrl,
    secret: config.sessionSecret,
    plans: planSharing(plans.service),
    onError: (err) => logger.error({ err }, 'discussion e-mail could not be queued'),
  });
  const accounts = createAccounts({
    connection,
    i18n,
    mailer,
    profileExtras: discussion.profileExtras,
    baseUrl: config.baseUrl,
    hashing: config.passwordHashing,
    secureCookies: config.secureCookies,
    User,
    audit,
    limiter,
    activity,
  });
  const handbooks = createHandbooks({ connection, content, i18n, onError: (err) => logger.error({ err }, 'handbook rendering failed') });
  const certificates = createCertificates({
    connection,
    content,
    events,
    User,
    audit,
    i18n,
    mailer,
    logger,
    config: { baseUrl: config.baseUrl, dataDir: config.dataDir, ...config.certificates },
    activity,
  });
  const learning = createLearning({
    connection,
    content,
    events,
    audit,
    grants,
    dashboard: { ...certificates.dashboard, discussions: discussion.dashboardLinks },
    trainersOf: cohorts.trainersOfLearner,
    // a module's completion may require its worksheet finished: learning reads plans' records for it
    worksheets: planRecordsOn(connection),
    activity,
    secret: config.sessionSecretIsPublic ? undefined : config.sessionSecret,
  });

  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.set('view engine', 'ejs');
  app.locals.baseUrl = config.baseUrl; // absolute links: canonical and hreflang alternates
  app.locals.contactEmail = config.contactEmail; // "ask the course team": a real address when configured
  app.set('views', viewsDir);
  app.disable('x-powered-by');
  if (production) app.set('view cache', true);

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      // One short line per request: headers can carry personal data and would drown the log, and
      // a URL can carry a secret (a reset link's token), which is redacted.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(byPrefix(healthRouter(connection)));
  app.use(securityHeaders({ https: config.baseUrl.startsWith('https://') }));
  app.use(compression());
  app.use('/static', express.static(publicDir, { maxAge: production ? '7d' : 0, index: false }));
  app.use(requireDatabase(connection));
  app.use(capPostsPerAddress(deps.postCap));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 200 }));
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(plainCookies());
  app.use(sessionMiddleware({ connection, secret: config.sessionSecret, secureCookie: config.secureCookies }));
  app.use(accounts.authentication); // sets req.user before i18n, so the user's own language wins
  app.use(flashMessages);
  app.use(i18nHandler(i18n));
  app.use(rememberLanguageChoice(config.secureCookies));
  app.use(csrf.exposeToken);
  app.use(viewLocals);
  const lti = createLti({ connection, accounts: accounts.service, content, baseUrl: config.baseUrl, secureCookies: config.secureCookies });
  // before the CSRF check: the unsubscribe link's signed token is its own proof (and mail clients'
  // one-click POST has no CSRF token); LTI's messages are signed by the LMS
  app.use(byPrefix(discussion.unsubscribeRouter, lti.protocolRouter));
  app.use(csrf.protect);

  const contentPages = contentRouter(content, {
    baseUrl: config.baseUrl,
    extras: {
      module: async (req, m) => ({ ...(await handbooks.moduleExtras(req, m)), ...(await learning.moduleExtras(req, m)) }),
      lesson: async (req, m, lessonId) => ({ ...(await learning.lessonExtras(req, m, lessonId)), ...(await discussion.lessonExtras(req, m, lessonId)) }),
    },
  });
  // in this order: where two routes could match one path, the earlier router's wins
  app.use(
    byPrefix(
      homeRouter({ content, learnerExtras: learning.homeExtras }),
      accounts.router,
      createAdmin({ connection, User, audit }).router,
      createAdminContent({ content, audit, verifyCsrf: csrf.verifyParsedForm }).router,
      offlineRouter(),
      handbooks.router,
      contentPages,
      learning.router(requireRight('learn')),
      certificates.router,
      plans.router,
      cohorts.router,
      cohortReports.router,
      discussion.router,
      xapi.router,
      ...lti.router,
    ),
  );
  for (const router of deps.extraRouters ?? []) app.use(router);

  app.use(notFoundHandler);
  app.use(errorHandler(logger, i18n));
  return app;
}
