import { type RequestHandler, Router } from 'express';
import multer from 'multer';
import { requireRight } from '../../platform/auth-guards';
import { adminContentController } from './admin-content.controller';
import { CONTENT_PATH } from './admin-content.paths';
import type { AdminContentService } from './admin-content.service';
import { previewController } from './preview.controller';
import type { ZipLimits } from './package-zip';

const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/**
 * Receives the form into memory only (never a temporary file), within limits. A refusal by multer
 * (too large, a field too many) is noted for the page to explain; the CSRF check after it still decides
 * first whether the request is answered at all.
 */
function receivePackage(limits: ZipLimits): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    defParamCharset: 'utf8',
    limits: { fileSize: limits.maxPackageBytes, files: 1, fields: 4, parts: 5, fieldSize: 1024, fieldNameSize: 64, headerPairs: 20 },
  }).single('package');
  return (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (err) res.locals.uploadRefusal = err instanceof multer.MulterError ? err.code : 'MALFORMED';
      next();
    });
  };
}

/** `verifyCsrf` checks the token of a multipart form once multer has parsed it (see platform/security.ts). */
export function adminContentRouter(deps: { service: AdminContentService; verifyCsrf: RequestHandler }): Router {
  const router = Router();
  const c = adminContentController(deps.service);
  const preview = previewController(deps.service);
  const manage = requireRight('content.manage');
  const version = `${CONTENT_PATH}/:module/versions/:version`;

  router.get(CONTENT_PATH, manage, noStore, c.list);
  router.post(CONTENT_PATH, manage, receivePackage(deps.service.limits), deps.verifyCsrf, c.upload);
  router.get(version, manage, noStore, c.version);
  router.post(`${version}/publish`, manage, c.publish);
  router.get(`${version}/export.zip`, manage, c.exportZip);
  router.get(`${version}/preview/:lng`, manage, noStore, preview.module);
  router.get(`${version}/preview/:lng/lessons/:lesson`, manage, noStore, preview.lesson);
  router.get(`${version}/media/:file`, manage, preview.media);
  return router;
}
