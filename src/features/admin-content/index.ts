/** Admin content management: upload, check, preview, publish, roll back and export module packages. */
import type { RequestHandler } from 'express';
import type { AuditLog } from '../audit';
import type { ContentService } from '../content';
import { adminContentRouter } from './admin-content.routes';
import { createAdminContentService } from './admin-content.service';
import type { ZipLimits } from './package-zip';

export { CONTENT_PATH as ADMIN_CONTENT_UPLOAD_PATH } from './admin-content.paths';
export { type AdminContentService, createAdminContentService } from './admin-content.service';
export { DEFAULT_ZIP_LIMITS, readPackageZip, writePackageZip, type ZipLimits } from './package-zip';

/**
 * The admin content pages on the app's own ContentService (so a publish is seen at once by this
 * instance; others re-read releases within seconds). `verifyCsrf` is the app's CSRF check, run by the
 * upload route after multer has parsed the multipart form.
 */
export function createAdminContent(deps: { content: ContentService; audit: AuditLog; verifyCsrf: RequestHandler; limits?: ZipLimits }) {
  const service = createAdminContentService({ content: deps.content, audit: deps.audit, limits: deps.limits });
  return { service, router: adminContentRouter({ service, verifyCsrf: deps.verifyCsrf }) };
}
