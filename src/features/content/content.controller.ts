import type { Request, Response } from 'express';
import { NotFoundError } from '../../platform/errors';
import { currentLanguage } from '../../platform/i18n';
import type { ContentService, PublishedModule } from './content.service';
import { offlinePage } from '../offline';
import { publishedPageValidators } from './page-meta';

import { lessonMinutes, moduleMinutes } from './time-estimate';

function moduleSummary(m: PublishedModule, lng: 'en' | 'es' | 'fr') {
  const time = moduleMinutes(m, lng);
  return {
    id: m.moduleId,
    href: `/modules/${m.moduleId}`,
    title: m.title[lng],
    summary: m.summary[lng],
    lessonCount: m.lessons.length,
    estimatedMinutes: time.total,
    time,
  };
}

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

/** What other features add to module and lesson pages (the learner's progress), as view locals. */
export type PageExtras = {
  module?: (req: Request, module: PublishedModule) => Promise<Record<string, unknown>>;
  lesson?: (req: Request, module: PublishedModule, lessonId: string) => Promise<Record<string, unknown>>;
};

export function contentController(content: ContentService, extras: PageExtras = {}) {
  async function findModule(req: Request) {
    const module = await content.getModule(param(req, 'module'));
    if (!module) throw new NotFoundError();
    return module;
  }

  return {
    /** GET /modules — the course's modules in order */
    async list(req: Request, res: Response) {
      const lng = currentLanguage(req);
      const modules = (await content.modules()).map((m) => moduleSummary(m, lng));
      res.render('content/modules', { title: 'content:modules.title', description: req.t('content:modules.lead'), seo: true, modules });
    },

    /** GET /modules/:module — a module's summary and its lessons */
    async show(req: Request, res: Response) {
      const lng = currentLanguage(req);
      const module = await findModule(req);
      const lessonHrefs = module.lessons.map((l) => `/modules/${module.moduleId}/lessons/${l.id}`);
      const images = module.media.filter((m) => m.contentType.startsWith('image/')).map((m) => `/modules/${module.moduleId}/media/${m.name}`);
      res.render('content/module', {
        ...offlinePage,
        // what "Save for offline" keeps: this page, its lessons and figures, the glossary, the handbook, the CSS and script
        offlineUrls: [
          `/modules/${module.moduleId}`,
          ...lessonHrefs,
          ...images,
          '/glossary',
          `/modules/${module.moduleId}/handbook.pdf?lng=${lng}`,
          '/static/css/site.css',
          ...offlinePage.scripts,
          '/static/images/favicon.svg',
        ],
        title: 'content:module.title',
        pageTitle: module.title[lng],
        description: module.summary[lng],
        seo: true,
        module: moduleSummary(module, lng),
        lessons: module.lessons.map((l, i) => ({
          number: i + 1,
          href: `/modules/${module.moduleId}/lessons/${l.id}`,
          title: l.title[lng],
          minutes: lessonMinutes(l.words[lng]),
        })),
        ...(await extras.module?.(req, module)),
      });
    },

    /**
     * GET /modules/:module/lessons/:lesson — one lesson, with previous and next; open to anyone.
     * A visitor's page depends only on the published version, its language and the templates, so it
     * carries validators known before rendering and a repeat visit is answered 304 without a render.
     * A signed-in learner's page shows their progress: it is private, validated by its body.
     */
    async lesson(req: Request, res: Response) {
      const lng = currentLanguage(req);
      const module = await findModule(req);
      const index = module.lessonIndex.get(param(req, 'lesson'));
      if (index === undefined) throw new NotFoundError();
      const lesson = module.lessons[index]!;
      if (!req.user && !res.locals.flash) {
        const publishedAt = await content.publishedAt(module.moduleId);
        const v = publishedPageValidators({ key: `${module.moduleId}/${lesson.id}`, version: module.version, lng, publishedAt });
        res.set({ ETag: v.etag, 'Last-Modified': v.lastModified, 'Cache-Control': 'no-cache', Vary: 'Cookie, Accept-Language' });
        if (req.fresh) {
          res.status(304).end();
          return;
        }
      } else {
        res.set('Cache-Control', 'private, no-cache');
      }
      const link = (i: number) => {
        const l = module.lessons[i];
        return l ? { href: `/modules/${module.moduleId}/lessons/${l.id}`, title: l.title[lng] } : undefined;
      };
      res.render('content/lesson', {
        ...offlinePage,
        title: 'content:lesson.title',
        pageTitle: `${lesson.title[lng]} · ${module.title[lng]}`,
        description: content.lessonDescription(module, lesson, lng),
        seo: true,
        module: moduleSummary(module, lng),
        lesson: {
          id: lesson.id,
          title: lesson.title[lng],
          html: content.lessonHtml(module, lesson, lng, req.t('common:tableRegion')),
          minutes: lessonMinutes(lesson.words[lng]),
          number: index + 1,
          total: module.lessons.length,
          isWorksheet: lesson.id === 'worksheet',
        },
        previous: link(index - 1),
        next: link(index + 1),
        ...(await extras.lesson?.(req, module, lesson.id)),
      });
    },

    /** GET /modules/:module/media/:file — an image or PDF a lesson links to */
    async media(req: Request, res: Response) {
      const file = await content.openMedia(param(req, 'module'), param(req, 'file'));
      if (!file) throw new NotFoundError();
      res.set({
        'Content-Type': file.contentType,
        'Content-Length': String(file.size),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'public, max-age=86400',
      });
      if (!file.contentType.startsWith('image/')) res.attachment(param(req, 'file'));
      file.stream.on('error', () => res.destroy()).pipe(res);
    },

    /** GET /glossary — the course's terms in the reader's language */
    async glossary(req: Request, res: Response) {
      const lng = currentLanguage(req);
      const glossary = await content.glossary();
      const terms = (glossary?.terms ?? [])
        .map((t) => ({ id: t.id, term: t.term[lng], definition: t.definition[lng] }))
        .sort((a, b) => a.term.localeCompare(b.term, lng));
      res.render('content/glossary', { ...offlinePage, title: 'content:glossary.title', description: req.t('content:glossary.lead'), seo: true, terms });
    },
  };
}
