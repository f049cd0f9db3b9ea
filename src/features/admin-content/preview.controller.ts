import type { Request, Response } from 'express';
import { NotFoundError } from '../../platform/errors';
import { currentLanguage } from '../../platform/i18n';
import { type Lang, LANGS, type LessonLinks, lessonMinutes, type ModuleVersionDoc, moduleMinutes, renderMarkdown, requiresWorksheet } from '../content';
import { previewLessonPath, previewMediaPath, previewPath, versionPath } from './admin-content.paths';
import { lessonParams, mediaParams, paramsOf, previewParams } from './admin-content.schemas';
import { warningText } from './admin-content.controller';
import type { AdminContentService } from './admin-content.service';

const minutes = lessonMinutes; // the learners' pages' one rule

/** Links inside a previewed lesson stay inside the preview of the same version and language. */
function previewLinks(doc: ModuleVersionDoc, lng: Lang): LessonLinks {
  return {
    lesson: (id) => previewLessonPath(doc.moduleId, doc.version, lng, id),
    media: (file) => previewMediaPath(doc.moduleId, doc.version, file),
  };
}

/** The worksheet's steps and fields in one language, as an author checks them (ids, types, rules). */
function worksheetPreview(doc: ModuleVersionDoc, lng: Lang) {
  const w = doc.worksheet;
  if (!w) return undefined;
  return {
    title: w.title[lng],
    intro: w.intro[lng],
    required: requiresWorksheet(doc),
    steps: w.steps.map((s) => ({
      id: s.id,
      title: s.title[lng],
      intro: s.intro?.[lng],
      fields: s.fields.map((f) => ({
        id: f.id,
        type: f.type,
        label: f.label[lng],
        hint: f.hint?.[lng],
        example: f.example?.[lng],
        required: f.required === true,
        multiple: f.multiple === true,
        maxRows: f.maxRows,
        from: f.from,
        options: f.options?.map((o) => ({ id: o.id, label: o.label[lng] })) ?? [],
        columns: f.columns?.map((c) => ({ id: c.id, label: c.label[lng] })) ?? [],
      })),
    })),
  };
}

/**
 * Previews of any version — a draft before publishing, an older one before rolling back — rendered
 * as learners see them (the same Markdown rendering and page structure), in the language chosen,
 * while the admin's own pages stay in the admin's language.
 */
export function previewController(service: AdminContentService) {
  async function load(module: string, version: number): Promise<ModuleVersionDoc> {
    const doc = await service.getVersion(module, version);
    if (!doc) throw new NotFoundError();
    return doc;
  }

  function frame(req: Request, doc: ModuleVersionDoc, lng: Lang, pathOf: (l: Lang) => string) {
    const adminLng = currentLanguage(req);
    return {
      contentLng: lng,
      versionHref: versionPath(doc.moduleId, doc.version),
      moduleHref: previewPath(doc.moduleId, doc.version, lng),
      versionLabel: { module: doc.title[adminLng], version: doc.version },
      languages: LANGS.map((l) => ({ lng: l, href: pathOf(l), current: l === lng })),
    };
  }

  return {
    /** GET /admin/content/:module/versions/:version/preview/:lng — the module page, its quiz and its worksheet */
    async module(req: Request, res: Response) {
      const { module, version, lng } = paramsOf(previewParams, req);
      const doc = await load(module, version);
      res.render('admin/content-preview', {
        title: 'admin-content:preview.title',
        pageTitle: doc.title[lng],
        ...frame(req, doc, lng, (l) => previewPath(module, version, l)),
        module: { title: doc.title[lng], summary: doc.summary[lng], lessonCount: doc.lessons.length, estimatedMinutes: moduleMinutes(doc, lng).total },
        warnings: (doc.warnings ?? []).map((w) => ({ code: w.code, file: w.file, text: warningText(req.t, w) })),
        lessons: doc.lessons.map((l) => ({ href: previewLessonPath(module, version, lng, l.id), title: l.title[lng], minutes: minutes(l.words[lng]) })),
        quiz: {
          passPercent: doc.quiz.passPercent,
          questionsPerAttempt: doc.quiz.questionsPerAttempt,
          maxAttempts: doc.quiz.maxAttempts,
          questions: doc.quiz.questions.map((q) => ({
            id: q.id,
            type: q.type,
            prompt: q.prompt[lng],
            options: q.options.map((o) => ({ id: o.id, text: o.text[lng], correct: o.correct })),
            explanation: q.explanation[lng],
          })),
        },
        worksheet: worksheetPreview(doc, lng),
      });
    },

    /** GET /admin/content/:module/versions/:version/preview/:lng/lessons/:lesson — one lesson */
    async lesson(req: Request, res: Response) {
      const { module, version, lng, lesson: lessonId } = paramsOf(lessonParams, req);
      const doc = await load(module, version);
      const index = doc.lessons.findIndex((l) => l.id === lessonId);
      if (index < 0) throw new NotFoundError();
      const lesson = doc.lessons[index]!;
      const link = (i: number) => {
        const l = doc.lessons[i];
        return l ? { href: previewLessonPath(module, version, lng, l.id), title: l.title[lng] } : undefined;
      };
      res.render('admin/content-preview-lesson', {
        title: 'admin-content:preview.title',
        pageTitle: lesson.title[lng],
        ...frame(req, doc, lng, (l) => previewLessonPath(module, version, l, lessonId)),
        moduleTitle: doc.title[lng],
        lesson: {
          title: lesson.title[lng],
          html: renderMarkdown(lesson.body[lng], module, previewLinks(doc, lng), req.t('common:tableRegion', { lng })),
          minutes: minutes(lesson.words[lng]),
          number: index + 1,
          total: doc.lessons.length,
        },
        previous: link(index - 1),
        next: link(index + 1),
      });
    },

    /** GET /admin/content/:module/versions/:version/media/:file — a version's image or PDF, never run as a page */
    async media(req: Request, res: Response) {
      const { module, version, file } = paramsOf(mediaParams, req);
      const media = await service.openMedia(module, version, file);
      if (!media) throw new NotFoundError();
      res.set({
        'Content-Type': media.contentType,
        'Content-Length': String(media.size),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        // a version never changes, but drafts are for admins only: no shared caches
        'Cache-Control': 'private, max-age=86400',
      });
      if (!media.contentType.startsWith('image/')) res.attachment(file);
      media.stream.on('error', () => res.destroy()).pipe(res);
    },
  };
}
