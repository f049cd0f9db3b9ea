import path from 'node:path';
import { type RequestHandler, Router } from 'express';
import { requireRight } from '../../platform/auth-guards';
import { noStore } from '../../platform/no-store';
import { multipartForm, type UploadOptions } from '../../platform/uploads';
import { loadCohort } from './cohort-access';
import type { cohortsController } from './cohorts.controller';
import type { CohortsService } from './cohorts.service';

/** 5,000 addresses with names fit well within this; anything bigger is not a list of e-mails. */
export const MAX_UPLOAD_BYTES = 1024 * 1024;
const TEXT_TYPES = new Set(['text/csv', 'text/plain', 'application/csv', 'application/vnd.ms-excel', 'text/comma-separated-values']);

/**
 * Reads the optional uploaded list (field `file`). A refused file is not an error page: the form
 * comes back with the reason beside the file field.
 */
const enrolForm: UploadOptions = {
  field: 'file',
  maxFileBytes: MAX_UPLOAD_BYTES,
  maxFields: 5,
  maxFieldBytes: 110_000,
  accept: (file) => {
    const ext = path.extname(file.originalname).toLowerCase();
    return ext === '.csv' || ext === '.txt' || (ext === '' && TEXT_TYPES.has(file.mimetype));
  },
};

/** The enrolment form's path, whose multipart body is read here: app.ts defers its CSRF check to this router. */
export const COHORT_ENROL_PATH = /^\/trainer\/cohorts\/[0-9a-f]{24}\/enrol$/;

export function cohortsRouter(deps: {
  cohorts: CohortsService;
  /** checks the CSRF token of a multipart form once multer has read its fields */
  verifyCsrf: RequestHandler;
  manage: ReturnType<typeof cohortsController>;
}): Router {
  const { manage } = deps;
  const router = Router();
  const trainer = requireRight('cohorts.manage');
  // the cohort is loaded, and refused to trainers of other cohorts, before anything else is read
  const cohort = [trainer, noStore, loadCohort(deps.cohorts)];

  router.get('/cohorts/join', requireRight('learn'), manage.showJoin);
  router.post('/cohorts/join', requireRight('learn'), manage.join);

  router.get('/trainer/cohorts', trainer, noStore, manage.list);
  router.post('/trainer/cohorts', trainer, manage.create);
  router.get('/trainer/cohorts/:id/manage', ...cohort, manage.manage);
  router.post('/trainer/cohorts/:id/enrol', ...cohort, ...multipartForm(enrolForm, deps.verifyCsrf), manage.enrol);
  router.post('/trainer/cohorts/:id/trainers', ...cohort, manage.addTrainer);
  router.post('/trainer/cohorts/:id/trainers/:userId/remove', ...cohort, manage.removeTrainer);
  router.post('/trainer/cohorts/:id/code', ...cohort, manage.newCode);
  return router;
}
