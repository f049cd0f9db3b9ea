import compression from 'compression';
import cookieParser from 'cookie-parser';
import express, { type Express, type Router } from 'express';
import type { Connection } from 'mongoose';
import pinoHttp from 'pino-http';
import crypto from 'node:crypto';
import type { Config } from './config';
import { contentRouter, createContentService } from './features/content';
import { homeRouter } from './features/home';
import { errorHandler, notFoundHandler } from './platform/error-handler';
import { healthRouter } from './platform/health';
import { createI18n, i18nHandler, rememberLanguageChoice } from './platform/i18n';
import type { Logger } from './platform/logger';
import { publicDir, viewsDir } from './platform/paths';
import { createCsrf, securityHeaders } from './platform/security';
import { sessionMiddleware } from './platform/session';
import { viewLocals } from './platform/views';

export type AppDeps = {
  config: Config;
  connection: Connection;
  logger: Logger;
  /** extra routers mounted after the built-in ones; tests use it to add routes that throw */
  extraRouters?: Router[];
};

const BODY_LIMIT = '100kb';

/** Builds the Express app from its collaborators. Does no network or database I/O itself. */
export function createApp(deps: AppDeps): Express {
  const { config, connection, logger } = deps;
  const production = config.env === 'production';
  const app = express();
  const i18n = createI18n();
  const csrf = createCsrf();
  const content = createContentService({ connection });

  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.set('view engine', 'ejs');
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
    }),
  );
  app.use(healthRouter(connection));
  app.use(securityHeaders(production));
  app.use(compression());
  app.use('/static', express.static(publicDir, { maxAge: production ? '7d' : 0, index: false }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 200 }));
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(cookieParser());
  app.use(sessionMiddleware({ connection, secret: config.sessionSecret, secureCookie: production }));
  app.use(i18nHandler(i18n));
  app.use(rememberLanguageChoice(production));
  app.use(csrf.exposeToken);
  app.use(viewLocals);
  app.use(csrf.protect);

  app.use(homeRouter());
  app.use(contentRouter(content, (_req, _res, next) => next()));
  for (const router of deps.extraRouters ?? []) app.use(router);

  app.use(notFoundHandler);
  app.use(errorHandler(logger, i18n));
  return app;
}
