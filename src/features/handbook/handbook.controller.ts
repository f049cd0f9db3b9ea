import type { Request, Response } from 'express';
import { NotFoundError } from '../../platform/errors';
import { currentLanguage, isLanguage } from '../../platform/i18n';
import type { PublishedModule } from '../content';
import type { HandbookService } from './handbook.service';

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

export function handbookController(handbooks: HandbookService, onError: (err: unknown) => void) {
  return {
    /** GET /modules/:module/handbook.pdf?lng=&version= — the whole module as a printable PDF */
    async download(req: Request, res: Response) {
      // a handbook exists per language: ?lng= naming none of ours is a page that does not exist
      if (req.query.lng !== undefined && !isLanguage(req.query.lng)) throw new NotFoundError();
      const lng = isLanguage(req.query.lng) ? req.query.lng : currentLanguage(req);
      const raw = req.query.version;
      const version = typeof raw === 'string' && /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : undefined;
      if (raw !== undefined && version === undefined) throw new NotFoundError();
      const moduleId = param(req, 'module');
      const file = await handbooks.open(moduleId, lng, version);
      if (!file) throw new NotFoundError();
      res.set({
        'Content-Type': 'application/pdf',
        'Content-Length': String(file.size),
        'Content-Disposition': `inline; filename="${moduleId}-${lng}-v${file.version}.pdf"`,
        'X-Content-Type-Options': 'nosniff',
        ETag: `"${String(file.fileId)}"`,
        // a version's handbook never changes; the unversioned address follows publishing
        'Cache-Control': version === undefined ? 'public, no-cache' : 'public, max-age=31536000, immutable',
        Vary: 'Cookie, Accept-Language',
      });
      if (req.fresh) {
        file.stream.destroy();
        res.status(304).end();
        return;
      }
      file.stream.on('error', (err) => (res.headersSent ? res.destroy() : onError(err))).pipe(res);
    },

    /** What the module page shows of the handbook: its link and, once rendered, its size. */
    async moduleExtras(req: Request, module: PublishedModule) {
      const lng = currentLanguage(req);
      const stored = await handbooks.find(module.moduleId, module.version, lng);
      if (!stored) handbooks.ensure(module, lng).catch(onError); // ready for the next visitor
      return {
        handbook: {
          href: `/modules/${module.moduleId}/handbook.pdf?lng=${lng}`,
          sizeKb: stored ? Math.max(1, Math.round(stored.size / 1024)) : undefined,
        },
      };
    },
  };
}
