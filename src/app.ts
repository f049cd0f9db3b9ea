import compression from 'compression';
import express, { type Express, type Router } from 'express';
import type { Connection } from 'mongoose';
import pinoHttp from 'pino-http';
import crypto from 'node:crypto';
import type { Config } from './config';
import { createAccounts } from './features/accounts';
import { createAdmin } from './features/admin';
import { ADMIN_CONTENT_UPLOAD_PATH, createAdminContent } from './features/admin-content';
import { createCertificates } from './features/certificates';
import { contentRouter, createContentService } from './features/content';
import { COHORT_ENROL_PATH, createCohorts } from './features/cohorts';
import { createHandbooks } from './features/handbook';
import { homeRouter } from './features/home';
import { offlineRouter } from './features/offline';
import { createPlans } from './features/plans';
import { createLearning, createLearningEvents, type LearningEvents } from './features/learning';
import { createLti, ltiGradePassback } from './features/lti';
import { createXapi } from './features/xapi';
import { type ActivityObserver, observeAll } from './platform/activity';
import { requireRight } from './platform/auth-guards';
import { errorHandler, notFoundHandler } from './platform/error-handler';
import { plainCookies } from './platform/cookies';
import { createAttemptLimiter } from './platform/attempt-limiter';
import { requireDatabase } from './platform/database';
import { redactUrl } from './platform/log-redaction';
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
  const accounts = createAccounts({
    connection,
    i18n,
    mailer,
    baseUrl: config.baseUrl,
    hashing: config.passwordHashing,
    secureCookies: config.secureCookies,
    activity,
  });
  const content = createContentService({ connection, refreshMs: deps.contentRefreshMs });
  const events = deps.events ?? createLearningEvents((err) => logger.error({ err }, 'course completion listener failed'));
  const learning = createLearning({ connection, content, events, activity });
  const handbooks = createHandbooks({ connection, content, i18n, onError: (err) => logger.error({ err }, 'handbook rendering failed') });
  const certificates = createCertificates({
    connection,
    content,
    events,
    i18n,
    mailer,
    logger,
    config: { baseUrl: config.baseUrl, dataDir: config.dataDir, ...config.certificates },
    activity,
  });

  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.set('view engine', 'ejs');
  app.locals.baseUrl = config.baseUrl; // absolute links: canonical and hreflang alternates
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
  app.use(healthRouter(connection));
  app.use(securityHeaders({ https: config.baseUrl.startsWith('https://') }));
  app.use(compression());
  app.use('/static', express.static(publicDir, { maxAge: production ? '7d' : 0, index: false }));
  app.use(requireDatabase(connection));
  app.use(capPostsPerAddress(createAttemptLimiter(connection), deps.postCap));
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
  app.use(lti.protocolRouter); // signed by the LMS, not by our CSRF token
  app.use(csrf.protect);

  app.use(homeRouter());
  app.use(accounts.router);
  app.use(createAdmin(connection).router);
  app.use(createAdminContent({ connection, content, verifyCsrf: csrf.verifyParsedForm }).router);
  app.use(offlineRouter());
  app.use(handbooks.router);
  app.use(
    contentRouter(content, {
      baseUrl: config.baseUrl,
      extras: {
        module: async (req, m) => ({ ...(await handbooks.moduleExtras(req, m)), ...(await learning.moduleExtras(req, m)) }),
        lesson: learning.lessonExtras,
      },
    }),
  );
  app.use(certificates.dashboardHook); // before learning's /dashboard: it sets the certificate link
  app.use(learning.router(requireRight('learn')));
  app.use(certificates.router);
  const cohorts = createCohorts({ connection, content, baseUrl: config.baseUrl, verifyCsrf: csrf.verifyParsedForm });
  const onMailError = (err: unknown) => logger.error({ err }, 'plan feedback e-mail failed');
  app.use(createPlans({ connection, content, cohorts: cohorts.service, mailer, i18n, baseUrl: config.baseUrl, onMailError, activity }).router);
  app.use(cohorts.router);
  app.use(xapi.router);
  app.use(lti.router);
  for (const router of deps.extraRouters ?? []) app.use(router);

  app.use(notFoundHandler);
  app.use(errorHandler(logger, i18n));
  return app;
}
