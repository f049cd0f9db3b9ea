import { type RequestHandler, Router } from 'express';
import { contentController, type PageExtras } from './content.controller';
import type { ContentService } from './content.service';

/**
 * Reading the course. `readerGuard` protects lesson pages (signed-in learners only); `extras` lets
 * the learning feature add the reader's progress to module and lesson pages.
 */
export function contentRouter(content: ContentService, readerGuard: RequestHandler, extras: PageExtras = {}): Router {
  const c = contentController(content, extras);
  const router = Router();
  router.get('/modules', c.list);
  router.get('/modules/:module', c.show);
  router.get('/modules/:module/lessons/:lesson', readerGuard, c.lesson);
  router.get('/modules/:module/media/:file', readerGuard, c.media);
  router.get('/glossary', c.glossary);
  return router;
}
