import { Router } from 'express';
import { contentController, type PageExtras } from './content.controller';
import type { ContentService } from './content.service';
import { sitemapController } from './sitemap';

/**
 * Reading the course: open to anyone, signed in or not. `extras` lets the learning feature add the
 * reader's progress to module and lesson pages.
 */
export function contentRouter(content: ContentService, options: { baseUrl: string; extras?: PageExtras }): Router {
  const c = contentController(content, options.extras);
  const seo = sitemapController(content, options.baseUrl);
  const router = Router();
  router.get('/modules', c.list);
  router.get('/modules/:module', c.show);
  router.get('/modules/:module/lessons/:lesson', c.lesson);
  router.get('/modules/:module/media/:file', c.media);
  router.get('/glossary', c.glossary);
  router.get('/sitemap.xml', seo.sitemap);
  router.get('/robots.txt', seo.robots);
  return router;
}
