import { type RequestHandler, Router } from 'express';
import { contentController } from './content.controller';
import type { ContentService } from './content.service';

/** Reading the course. `readerGuard` protects lesson pages (signed-in learners only). */
export function contentRouter(content: ContentService, readerGuard: RequestHandler): Router {
  const c = contentController(content);
  const router = Router();
  router.get('/modules', c.list);
  router.get('/modules/:module', c.show);
  router.get('/modules/:module/lessons/:lesson', readerGuard, c.lesson);
  router.get('/modules/:module/media/:file', readerGuard, c.media);
  router.get('/glossary', c.glossary);
  return router;
}
