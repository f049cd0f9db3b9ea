import { type RequestHandler, Router } from 'express';
import { requireRight } from '../../platform/auth-guards';
import { noStore } from '../../platform/no-store';
import { multipartForm } from '../../platform/uploads';
import { adminContentController } from './admin-content.controller';
import { CONTENT_PATH } from './admin-content.paths';
import type { AdminContentService } from './admin-content.service';
import { previewController } from './preview.controller';
import type { ZipLimits } from './package-zip';

/** The package form: the token, the file (field `package`) and nothing much else. */
const packageForm = (limits: ZipLimits) => ({ field: 'package', maxFileBytes: limits.maxPackageBytes, maxFields: 4, maxFieldBytes: 1024 });

/** `verifyCsrf` checks the token of a multipart form once multer has parsed it (see platform/security.ts). */
export function adminContentRouter(deps: { service: AdminContentService; verifyCsrf: RequestHandler }): Router {
  const router = Router();
  const c = adminContentController(deps.service);
  const preview = previewController(deps.service);
  const manage = requireRight('content.manage');
  const version = `${CONTENT_PATH}/:module/versions/:version`;

  router.get(CONTENT_PATH, manage, noStore, c.list);
  router.post(CONTENT_PATH, manage, ...multipartForm(packageForm(deps.service.limits), deps.verifyCsrf), c.upload);
  router.get(version, manage, noStore, c.version);
  router.post(`${version}/publish`, manage, c.publish);
  router.get(`${version}/export.zip`, manage, c.exportZip);
  router.get(`${version}/preview/:lng`, manage, noStore, preview.module);
  router.get(`${version}/preview/:lng/lessons/:lesson`, manage, noStore, preview.lesson);
  router.get(`${version}/media/:file`, manage, preview.media);
  return router;
}
