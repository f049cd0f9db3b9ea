/**
 * Certificates: issued when a learner completes the course, as a PDF anyone can verify by its code
 * and as a signed Open Badges 3.0 credential; admins revoke and re-issue. Other features use what
 * is exported here.
 */
import crypto from 'node:crypto';
import type { i18n as I18n } from 'i18next';
import type { Connection } from 'mongoose';
import type { ActivityObserver } from '../../platform/activity';
import type { Logger } from '../../platform/logger';
import type { Mailer } from '../../platform/mailer';
import type { UserModel } from '../accounts';
import type { AuditLog } from '../audit';
import type { ContentService } from '../content';
import { type LearningEvents, learningModels } from '../learning';
import { createIssuing } from './certificate-issuing';
import { createCertificateRecords } from './certificate-records';
import { certificateModels } from './certificate.model';
import { certificatesAdminController } from './certificates-admin.controller';
import { certificatesController } from './certificates.controller';
import { createCertificateEmails } from './certificates.emails';
import { certificatesRouter, dashboardCertificate } from './certificates.routes';
import { createCertificateService } from './certificates.service';
import { createCertificateTexts } from './certificates.texts';
import { createCredentialSigner } from './credential';
import { loadSigningKey } from './signing-key';
import { createStatusList } from './status-list';

export { type CertificateModels, certificateModels } from './certificate.model';
export {
  type CertificateEvent,
  type CertificateRecord,
  type CertificateRecordsReader,
  createCertificateRecords,
  validCertificate,
} from './certificate-records';

/** The certificates' read functions on this connection, for features that report on learners. */
export const certificateRecordsOn = (connection: Connection) => createCertificateRecords(certificateModels(connection));
export { formatCode, parseCode } from './certificate-code';
export { FAMILIES, type FontFamily, type FontKey, type FontWeight, fontBytes, splitIntoRuns, type TextRun } from './certificate-fonts';
export type { CertificateService } from './certificates.service';

export type CertificatesConfig = {
  baseUrl: string;
  dataDir: string;
  issuer: string;
  /** unset: the translated default, in the certificate's language */
  signatory: string | undefined;
  credentialPrivateKey: string | undefined;
  /** SPKI PEMs of earlier signing keys (see docs/operations.md, "Rotating the credential key") */
  credentialPreviousPublicKeys?: readonly string[];
};

/**
 * Wires the feature and subscribes to course completions, so a certificate is issued the moment
 * a learner finishes. The signing key is read (or, outside production, generated) here, once.
 */
export function createCertificates(deps: {
  connection: Connection;
  content: ContentService;
  events: LearningEvents;
  /** shared collaborators, built once in createApp */
  User: UserModel;
  audit: AuditLog;
  i18n: I18n;
  mailer: Mailer;
  logger: Logger;
  config: CertificatesConfig;
  activity?: ActivityObserver;
}) {
  const { connection, config, logger } = deps;
  const signer = createCredentialSigner(
    loadSigningKey({ configuredPem: config.credentialPrivateKey, dataDir: config.dataDir }),
    (config.credentialPreviousPublicKeys ?? []).map((pem) => crypto.createPublicKey(pem)),
  );
  const emails = createCertificateEmails({ mailer: deps.mailer, i18n: deps.i18n, baseUrl: config.baseUrl });
  const models = certificateModels(connection);
  const statusList = createStatusList({ models, signer, baseUrl: config.baseUrl, issuerName: config.issuer });
  const issuing = createIssuing({
    models,
    learning: learningModels(connection),
    User: deps.User,
    content: deps.content,
    signer,
    statusList,
    texts: createCertificateTexts(deps.i18n),
    baseUrl: config.baseUrl,
    issuer: { organisation: config.issuer, signatory: config.signatory },
    // The certificate stands even if the mail server is down: the learner finds it on their pages.
    onIssued: async (certificate, pdf) => {
      await deps.activity?.record({ type: 'certificate-earned', userId: certificate.userId, code: certificate._id, at: certificate.issuedAt });
      await emails.issued(certificate, pdf).catch((err) => logger.error({ err, code: certificate._id }, 'certificate e-mail failed'));
    },
  });
  const service = createCertificateService({ models, issuing, audit: deps.audit });

  deps.events.onCourseCompleted(async ({ userId }) => {
    await service.ensureIssued(userId);
  });

  const controller = certificatesController({ service, signer, statusList, baseUrl: config.baseUrl, issuerName: config.issuer });
  const admin = certificatesAdminController({ service });
  return {
    service,
    signer,
    router: certificatesRouter(controller, admin),
    /** learning's DashboardExtras: the dashboard's link to the learner's certificate */
    dashboard: { certificate: dashboardCertificate(service) },
  };
}

/** Indexes for the certificate collections; called by ensureIndexes (autoIndex is off on purpose). */
export async function createCertificateIndexes(connection: Connection): Promise<void> {
  for (const model of Object.values(certificateModels(connection))) await model.createIndexes();
}
