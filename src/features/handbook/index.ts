/**
 * Module handbooks: the whole module as a printable PDF per published version and language, stored
 * in GridFS (bucket `handbooks`) and linked from the module page.
 */
import type { i18n as I18n } from 'i18next';
import type { Connection } from 'mongoose';
import type { ContentService } from '../content';
import { handbookController } from './handbook.controller';
import { handbookRouter } from './handbook.routes';
import { createHandbookService } from './handbook.service';

export { HANDBOOK_BUCKET, termsUsedBy } from './handbook.service';
export { renderHandbookPdf, type HandbookInput } from './handbook-pdf';

export function createHandbooks(deps: { connection: Connection; content: ContentService; i18n: I18n; onError: (err: unknown) => void }) {
  const service = createHandbookService(deps);
  const controller = handbookController(service, deps.onError);
  return { service, router: handbookRouter(controller), moduleExtras: controller.moduleExtras };
}
