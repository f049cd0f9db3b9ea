import type { Request, Response } from 'express';
import { NotFoundError } from '../../platform/errors';
import { currentLanguage } from '../../platform/i18n';
import { can } from '../../platform/roles';
import { findCode, formatCode, parseCode } from './certificate-code';
import { needsSubstitution } from './certificate-fonts';
import { verifyQuery } from './certificates.schemas';
import type { CertificateService } from './certificates.service';
import { certificateView, statusView } from './certificates.view-models';
import { type CredentialSigner, ISSUER_PATH, JWKS_PATH, OB_CONTEXT } from './credential';
import { STATUS_LIST_TTL_SECONDS, type StatusList } from './status-list';

const JWT = /eyJ[\w-]*\.[\w-]+\.[\w-]+/;

/** Pages about people's certificates are for checking by code, not for search engines to list names. */
function privatePage(res: Response) {
  res.set('X-Robots-Tag', 'noindex, nofollow');
  res.set('Cache-Control', 'no-cache');
}

export function certificatesController(deps: {
  service: CertificateService;
  signer: CredentialSigner;
  statusList: Pick<StatusList, 'credential'>;
  baseUrl: string;
  issuerName: string;
}) {
  const { service, signer, baseUrl, issuerName } = deps;

  function renderVerifyForm(res: Response, status: number, value: string, error?: string) {
    privatePage(res);
    res.status(status).render('certificates/verify-form', { title: 'certificates:verify.title', value, errors: error ? { code: error } : {} });
  }

  return {
    /** GET /certificate — the learner's certificate, issued now if they completed the course and have none */
    async mine(req: Request, res: Response) {
      const lng = currentLanguage(req);
      const found = await service.currentFor(req.user!.id);
      res.set('Cache-Control', 'no-store');
      res.render('certificates/mine', {
        title: 'certificates:mine.title',
        certificate: found && certificateView(found.certificate, lng),
        status: found && statusView(found.status, lng),
        nameChanged: found && found.certificate.holderName !== req.user!.name,
        substituted: found ? needsSubstitution(found.certificate.holderName) : false,
      });
    },

    /** GET /certificates/:code.pdf — the PDF as issued, for its holder and admins only */
    async pdf(req: Request, res: Response) {
      const viewer = { id: req.user!.id, canManage: can(req.user!.role, 'certificates.manage') };
      const pdf = await service.pdfFor(req.params.code, viewer);
      if (!pdf) throw new NotFoundError();
      res.set('Cache-Control', 'private, no-cache');
      res.set('Content-Disposition', `inline; filename="certificate-${formatCode(pdf.code)}.pdf"`);
      res.type('application/pdf').send(pdf.data);
    },

    /** GET /certificates/:code/credential.json — the Open Badges credential, for its holder and admins only */
    async credential(req: Request, res: Response) {
      const found = await service.byCode(req.params.code);
      const mayRead = found && (found.certificate.userId === req.user!.id || can(req.user!.role, 'certificates.manage'));
      if (!found || !mayRead) throw new NotFoundError();
      // A VC-JWT carried in JSON the way the VC data model 2.0 defines for enveloped credentials.
      const envelope = {
        '@context': [OB_CONTEXT[0]],
        id: `data:application/vc+jwt,${found.certificate.credential}`,
        type: 'EnvelopedVerifiableCredential',
      };
      res.set('Cache-Control', 'private, no-cache');
      res.attachment(`credential-${formatCode(found.certificate._id)}.json`);
      res.type('application/json').send(`${JSON.stringify(envelope, null, 2)}\n`);
    },

    /** GET /verify — check a code, a verification link or a pasted credential */
    async verifyForm(req: Request, res: Response) {
      const query = verifyQuery.safeParse(req.query);
      if (!query.success) return renderVerifyForm(res, 422, '', 'certificates:verify.invalid');
      const input = query.data.code;
      if (input === undefined) return renderVerifyForm(res, 200, '');
      if (input === '') return renderVerifyForm(res, 422, '', 'certificates:verify.required');
      const jwt = JWT.exec(input)?.[0];
      let code: string | undefined;
      if (jwt) {
        const credential = await signer.verify(jwt);
        if (!credential) return renderVerifyForm(res, 422, input.slice(0, 500), 'certificates:verify.badCredential');
        code = findCode(credential.id);
      } else {
        code = findCode(input);
      }
      if (!code) return renderVerifyForm(res, 422, input.slice(0, 500), 'certificates:verify.invalid');
      res.redirect(303, `/verify/${formatCode(code)}`);
    },

    /** GET /verify/:code — public: valid, revoked or replaced, with the facts and the PDF's fingerprint */
    async verify(req: Request, res: Response) {
      const lng = currentLanguage(req);
      const found = await service.byCode(req.params.code);
      if (!found) {
        const typed = typeof req.params.code === 'string' ? req.params.code : '';
        return renderVerifyForm(res, 404, typed.slice(0, 80), parseCode(typed) ? 'certificates:verify.unknown' : 'certificates:verify.invalid');
      }
      privatePage(res);
      res.render('certificates/verify', {
        title: 'certificates:verify.resultTitle',
        certificate: certificateView(found.certificate, lng),
        status: statusView(found.status, lng),
        jwksUrl: `${baseUrl}${JWKS_PATH}`,
      });
    },

    /** GET /.well-known/jwks.json — the public key that checks every Open Badges credential we sign */
    async jwks(_req: Request, res: Response) {
      res.set('Cache-Control', 'public, max-age=3600');
      res.set('Access-Control-Allow-Origin', '*');
      res.set('Cross-Origin-Resource-Policy', 'cross-origin');
      res.type('application/jwk-set+json').send(JSON.stringify(await signer.jwks()));
    },

    /** GET /credentials/status/:list — public: the revocation status list credential wallets check, as a VC-JWT */
    async statusList(req: Request, res: Response) {
      const jwt = await deps.statusList.credential(String(req.params.list));
      if (!jwt) throw new NotFoundError();
      res.set('Cache-Control', `public, max-age=${STATUS_LIST_TTL_SECONDS}`);
      res.set('Access-Control-Allow-Origin', '*');
      res.set('Cross-Origin-Resource-Policy', 'cross-origin');
      res.type('application/vc+jwt').send(jwt);
    },

    /** GET /issuer — the issuer's Open Badges profile, the `issuer.id` every credential names */
    issuer(_req: Request, res: Response) {
      res.set('Cache-Control', 'public, max-age=3600');
      res.set('Access-Control-Allow-Origin', '*');
      res.set('Cross-Origin-Resource-Policy', 'cross-origin');
      res.json({ '@context': OB_CONTEXT, id: `${baseUrl}${ISSUER_PATH}`, type: ['Profile'], name: issuerName, url: baseUrl });
    },
  };
}
