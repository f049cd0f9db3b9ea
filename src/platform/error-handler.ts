import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { i18n as I18n } from 'i18next';
import { MulterError } from 'multer';
import mongoose from 'mongoose';
import { isDatabaseUnreachable, RETRY_AFTER_SECONDS } from './database';
import { AppError, NotFoundError } from './errors';
import { LANGUAGES } from './i18n';
import type { Logger } from './logger';

type Mapped = { status: number; code: string; messageKey: string };

function mapError(err: unknown): Mapped | undefined {
  if (isDatabaseUnreachable(err)) return { status: 503, code: 'DATABASE_UNAVAILABLE', messageKey: 'errors:unavailable' };
  if (err instanceof AppError) return { status: err.status, code: err.code, messageKey: err.messageKey };
  if (err instanceof MulterError) {
    return err.code === 'LIMIT_FILE_SIZE'
      ? { status: 413, code: 'PAYLOAD_TOO_LARGE', messageKey: 'errors:tooLarge' }
      : { status: 400, code: 'BAD_UPLOAD', messageKey: 'errors:badUpload' };
  }
  // a path with a broken percent-escape (`/modules/%E0%A4%A`): the router cannot decode its parameters
  if (err instanceof URIError) return { status: 400, code: 'BAD_REQUEST', messageKey: 'errors:badRequest' };
  if (err instanceof mongoose.Error.CastError) return { status: 404, code: 'NOT_FOUND', messageKey: 'errors:notFound' };
  const e = err as { code?: unknown; type?: unknown; status?: unknown; expose?: unknown };
  if (e.code === 'EBADCSRFTOKEN') return { status: 403, code: 'BAD_CSRF', messageKey: 'errors:csrf' };
  if (e.code === 11000) return { status: 409, code: 'CONFLICT', messageKey: 'errors:conflict' };
  if (e.type === 'entity.too.large') return { status: 413, code: 'PAYLOAD_TOO_LARGE', messageKey: 'errors:tooLarge' };
  // body-parser and other http-errors with a client status (malformed JSON, bad encoding, …)
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true) {
    return { status: e.status, code: 'BAD_REQUEST', messageKey: 'errors:badRequest' };
  }
  return undefined;
}

const TITLES: Record<number, string> = {
  400: 'errors:badRequestTitle',
  401: 'errors:unauthorizedTitle',
  403: 'errors:forbiddenTitle',
  404: 'errors:notFoundTitle',
  409: 'errors:conflictTitle',
  413: 'errors:tooLargeTitle',
  422: 'errors:badRequestTitle',
  429: 'errors:tooManyRequestsTitle',
  503: 'errors:unavailableTitle',
};

export const notFoundHandler: RequestHandler = () => {
  throw new NotFoundError();
};

function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

/** An error raised before the i18n middleware ran (a malformed body, say) still gets a translated page. */
function ensureViewLocals(req: Request, res: Response, i18n: I18n) {
  if (res.locals.t) return;
  const lng = req.acceptsLanguages(...LANGUAGES) || 'en';
  res.locals.t = i18n.getFixedT(lng);
  res.locals.lng = lng;
  res.locals.currentPath = '/';
  res.locals.languageLinks = LANGUAGES.map((code) => ({ code, href: `/?lng=${code}`, current: code === lng }));
  res.locals.csrfToken = () => '';
}

/** The last middleware: every error becomes a translated page (or JSON) that reveals nothing internal. */
export function errorHandler(logger: Logger, i18n: I18n): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      // The answer is complete (express-session reports a failed save after it ended the response,
      // e.g. while the database is down): passing the error on would make Express destroy the
      // socket under a response the client is still reading.
      if (res.writableEnded) {
        (req.log ?? logger).warn({ err }, 'error after the response was sent');
        return;
      }
      next(err);
      return;
    }
    const mapped = mapError(err);
    const status = mapped?.status ?? 500;
    if (!mapped) (req.log ?? logger).error({ err }, 'unhandled error');
    const messageKey = mapped?.messageKey ?? 'errors:server';
    const titleKey = TITLES[status] ?? 'errors:serverTitle';
    ensureViewLocals(req, res, i18n);
    res.status(status);
    if (status === 401 || status === 403) res.setHeader('Cache-Control', 'no-store');
    if (status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    if (wantsJson(req)) {
      res.json({ error: { code: mapped?.code ?? 'SERVER_ERROR', message: res.locals.t(messageKey) } });
      return;
    }
    res.render('errors/error', { title: titleKey, status, messageKey });
  };
}
