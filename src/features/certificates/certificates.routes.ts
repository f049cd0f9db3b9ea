import { Router } from 'express';
import { requireLogin, requireRight } from '../../platform/auth-guards';
import type { certificatesAdminController } from './certificates-admin.controller';
import type { certificatesController } from './certificates.controller';
import type { CertificateService } from './certificates.service';
import { ISSUER_PATH, JWKS_PATH } from './credential';
import { STATUS_LIST_PATH } from './status-list';

export function certificatesRouter(
  c: ReturnType<typeof certificatesController>,
  admin: ReturnType<typeof certificatesAdminController>,
): Router {
  const router = Router();
  const manage = requireRight('certificates.manage');

  router.get('/certificate', requireRight('learn'), c.mine);
  // Express 5 paths: the parameter ends at the dot, so `:code.pdf` is "a code, then .pdf".
  router.get('/certificates/:code.pdf', requireLogin, c.pdf);
  router.get('/certificates/:code/credential.json', requireLogin, c.credential);

  router.get('/verify', c.verifyForm);
  router.get('/verify/:code', c.verify);
  router.get(JWKS_PATH, c.jwks);
  router.get(ISSUER_PATH, c.issuer);
  router.get(`${STATUS_LIST_PATH}/:list`, c.statusList);

  router.get('/admin/certificates', manage, admin.list);
  router.get('/admin/certificates/:code', manage, admin.show);
  router.post('/admin/certificates/:code/revoke', manage, admin.revoke);
  router.post('/admin/certificates/:code/reissue', manage, admin.reissue);
  return router;
}

/**
 * The dashboard's certificate link (learning's DashboardExtras): issues the certificate of a learner
 * who completed the course and has none (so no lost event leaves anyone without one) and links to it.
 */
export function dashboardCertificate(service: CertificateService) {
  return async (userId: string): Promise<{ href: string } | undefined> => ((await service.hasCertificate(userId)) ? { href: '/certificate' } : undefined);
}
