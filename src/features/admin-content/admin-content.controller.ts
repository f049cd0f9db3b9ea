import type { Request, Response } from 'express';
import type { TFunction } from 'i18next';
import { NotFoundError } from '../../platform/errors';
import type { PackageWarning } from '../content';
import { setFlash } from '../../platform/flash';
import { currentLanguage } from '../../platform/i18n';
import { uploadRefusal } from '../../platform/uploads';
import { versionPath } from './admin-content.paths';
import type { AdminContentService } from './admin-content.service';
import { paramsOf, versionParams } from './admin-content.schemas';
import { uploadProblem, type UploadProblem } from './upload-problems';
import { versionView } from './version.view-model';

const MB = 1024 * 1024;

/**
 * A problem in the admin's language. A language code in it is named ("French") and passed as `code`:
 * i18next would take a `lng` option as the language to translate into.
 */
export function problemText(t: TFunction, p: UploadProblem): string {
  const params = paramsFor(t, p.params);
  if (p.code === 'yamlSyntax') params.detail = t([`admin-content:yaml.${String(params.yamlCode)}`, 'admin-content:yaml.other']);
  return t(`admin-content:problems.${p.code}`, params);
}

/** A warning (the package was accepted) in the admin's language. */
export function warningText(t: TFunction, w: PackageWarning): string {
  return t(`admin-content:warnings.${w.code}`, paramsFor(t, w.params));
}

function paramsFor(t: TFunction, given: Record<string, string | number> | undefined): Record<string, string | number> {
  const { lng, ...params }: Record<string, string | number> = { ...given };
  if (typeof lng === 'string') {
    params.code = lng;
    params.language = t([`admin-content:languages.${lng}`, 'admin-content:languages.unknown'], { code: lng });
  }
  return params;
}

const actorOf = (req: Request) => ({ id: req.user!.id, email: req.user!.email });

export function adminContentController(service: AdminContentService) {
  const { limits } = service;

  /** The list with the upload form; `problems` are a refused upload's, shown above the form. */
  async function renderList(req: Request, res: Response, status: number, problems?: UploadProblem[], uploadName?: string) {
    const lng = currentLanguage(req);
    const modules = (await service.modules()).map((m) => ({
      id: m.moduleId,
      title: m.title[lng],
      publishedVersion: m.publishedVersion,
      versions: m.versions.map((v) => ({ ...v, href: versionPath(m.moduleId, v.version) })),
    }));
    res.status(status).render('admin/content', {
      title: 'admin-content:list.title',
      modules,
      limits: { mb: limits.maxPackageBytes / MB, entries: limits.maxEntries, unpackedMb: limits.maxTotalBytes / MB },
      uploadName,
      problems: problems?.map((p) => ({ file: p.file, line: p.line, field: p.field, text: problemText(req.t, p) })),
    });
  }

  return {
    /** GET /admin/content — every module's versions, and the upload form */
    async list(req: Request, res: Response) {
      await renderList(req, res, 200);
    },

    /** POST /admin/content — check an uploaded package and store it as a draft version */
    async upload(req: Request, res: Response) {
      const refusal = uploadRefusal(res.locals);
      if (refusal) {
        const tooLarge = refusal === 'TOO_LARGE';
        const problem = tooLarge
          ? uploadProblem('', 'uploadTooLarge', 'is larger than the upload limit', { mb: limits.maxPackageBytes / MB })
          : uploadProblem('', 'uploadRefused', 'could not be received');
        await renderList(req, res, tooLarge ? 413 : 400, [problem]);
        return;
      }
      if (!req.file) {
        await renderList(req, res, 400, [uploadProblem('', 'uploadMissing', 'no file was chosen')]);
        return;
      }
      const name = req.file.originalname || 'package.zip';
      const outcome = await service.upload({ bytes: req.file.buffer, name }, actorOf(req), req.ip);
      if (outcome.status === 'refused') {
        await renderList(req, res, 422, outcome.errors, name);
        return;
      }
      const vars = { module: outcome.moduleId, version: String(outcome.version) };
      setFlash(req, { type: outcome.status === 'stored' ? 'success' : 'info', messageKey: `admin-content:flash.${outcome.status}`, vars });
      res.redirect(303, versionPath(outcome.moduleId, outcome.version));
    },

    /** GET /admin/content/:module/versions/:version — a version's translations, changes and actions */
    async version(req: Request, res: Response) {
      const { module, version } = paramsOf(versionParams, req);
      const found = await service.version(module, version);
      if (!found) throw new NotFoundError();
      const lng = currentLanguage(req);
      res.render('admin/content-version', {
        title: 'admin-content:version.title',
        pageTitle: req.t('admin-content:version.heading', { module: found.doc.title[lng], version }),
        ...versionView(found, lng),
        warnings: (found.doc.warnings ?? []).map((w) => ({ file: w.file, line: w.line, field: w.field, code: w.code, text: warningText(req.t, w) })),
      });
    },

    /** POST /admin/content/:module/versions/:version/publish — learners see this version from now on */
    async publish(req: Request, res: Response) {
      const { module, version } = paramsOf(versionParams, req);
      const outcome = await service.publish(module, version, actorOf(req), req.ip);
      if (outcome.status === 'not-found') throw new NotFoundError();
      const vars = { module, version: String(version), from: String(outcome.from ?? '') };
      setFlash(req, { type: outcome.status === 'unchanged' ? 'info' : 'success', messageKey: `admin-content:flash.${outcome.status}`, vars });
      res.redirect(303, versionPath(module, version));
    },

    /** GET /admin/content/:module/versions/:version/export.zip — the version as a package again */
    async exportZip(req: Request, res: Response) {
      const { module, version } = paramsOf(versionParams, req);
      const exported = await service.exportZip(module, version);
      if (!exported) throw new NotFoundError();
      res.set({ 'Content-Type': 'application/zip', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
      res.attachment(exported.fileName);
      res.send(exported.bytes);
    },
  };
}
