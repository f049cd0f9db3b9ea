import type { Request, Response } from 'express';
import { ConflictError, NotFoundError } from '../../platform/errors';
import { setFlash } from '../../platform/flash';
import { currentLanguage } from '../../platform/i18n';
import { type FormErrors, type FormValues, parseForm } from '../../platform/validation';
import { formatCode } from './certificate-code';
import { REISSUE_REASONS, REVOCATION_REASONS } from './certificate.model';
import { certificateListQuery, reissueForm, revokeForm } from './certificates.schemas';
import type { AdminOutcome, CertificateService } from './certificates.service';
import { certificateLinks, certificateView, statusView } from './certificates.view-models';

const LIST_PATH = '/admin/certificates';

function pageHref(params: { q: string; page: number }) {
  const query = new URLSearchParams();
  if (params.q) query.set('q', params.q);
  if (params.page > 1) query.set('page', String(params.page));
  const text = query.toString();
  return text ? `${LIST_PATH}?${text}` : LIST_PATH;
}

const CONFLICTS: Record<string, string> = {
  'already-revoked': 'certificates:admin.alreadyRevoked',
  superseded: 'certificates:admin.alreadySuperseded',
  'no-completion': 'certificates:admin.noCompletion',
};

/** A refused change becomes an error page; a done one goes to the (new) certificate with a message. */
function afterChange(req: Request, res: Response, outcome: AdminOutcome, flashKey: string) {
  if (outcome.status === 'not-found') throw new NotFoundError();
  if (outcome.status !== 'ok') throw new ConflictError(CONFLICTS[outcome.status]);
  setFlash(req, { type: 'success', messageKey: flashKey, vars: { code: formatCode(outcome.code) } });
  res.redirect(303, certificateLinks(outcome.code).adminHref);
}

const actorOf = (req: Request) => ({ id: req.user!.id, email: req.user!.email });

export function certificatesAdminController(deps: { service: CertificateService }) {
  const { service } = deps;

  async function renderShow(req: Request, res: Response, status: number, form: { values?: FormValues; errors?: FormErrors } = {}) {
    const lng = currentLanguage(req);
    const found = await service.byCode(req.params.code);
    if (!found) throw new NotFoundError();
    const history = await service.historyOf(found.certificate.userId);
    res.set('Cache-Control', 'no-store');
    res.status(status).render('certificates/admin-show', {
      title: 'certificates:admin.showTitle',
      certificate: certificateView(found.certificate, lng),
      status: statusView(found.status, lng, 'admin'),
      history: history.map((h) => ({ ...certificateView(h.certificate, lng), status: statusView(h.status, lng, 'admin') })),
      reasons: REVOCATION_REASONS,
      reissueReasons: REISSUE_REASONS,
      values: form.values ?? {},
      errors: form.errors ?? {},
    });
  }

  return {
    /** GET /admin/certificates — every certificate, newest first; search by code, name or e-mail */
    async list(req: Request, res: Response) {
      const lng = currentLanguage(req);
      const result = await service.list(certificateListQuery.parse(req.query));
      res.set('Cache-Control', 'no-store');
      res.render('certificates/admin-list', {
        title: 'certificates:admin.listTitle',
        q: result.q,
        page: result.page,
        pages: result.pages,
        total: result.total,
        rows: result.rows.map((r) => ({ ...certificateView(r.certificate, lng), status: statusView(r.status, lng, 'admin') })),
        prevHref: result.page > 1 ? pageHref({ q: result.q, page: result.page - 1 }) : undefined,
        nextHref: result.page < result.pages ? pageHref({ q: result.q, page: result.page + 1 }) : undefined,
      });
    },

    /** GET /admin/certificates/:code — one certificate, its learner's others, revoke and re-issue */
    async show(req: Request, res: Response) {
      await renderShow(req, res, 200);
    },

    /** POST /admin/certificates/:code/revoke — revoke with a reason (audited) */
    async revoke(req: Request, res: Response) {
      const form = parseForm(revokeForm, req.body);
      if (!form.ok) return renderShow(req, res, 422, form);
      const outcome = await service.revoke(actorOf(req), { code: String(req.params.code), ...form.data }, req.ip ?? 'unknown');
      afterChange(req, res, outcome, 'certificates:admin.revoked');
    },

    /** POST /admin/certificates/:code/reissue — a new certificate with a new code; the old one is superseded (audited) */
    async reissue(req: Request, res: Response) {
      const form = parseForm(reissueForm, req.body);
      if (!form.ok) return renderShow(req, res, 422, form);
      const outcome = await service.reissue(actorOf(req), { code: String(req.params.code), reason: form.data.reissueReason }, req.ip ?? 'unknown');
      afterChange(req, res, outcome, 'certificates:admin.reissued');
    },
  };
}
