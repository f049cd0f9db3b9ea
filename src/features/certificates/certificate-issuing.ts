import crypto from 'node:crypto';
import { insertOnce } from '../../platform/database';
import type { Language } from '../../platform/i18n';
import type { UserModel } from '../accounts';
import type { ContentService, Localized } from '../content';
import type { LearningModels } from '../learning';
import { formatCode, newCertificateCode } from './certificate-code';
import { renderCertificatePdf } from './certificate-pdf';
import {
  asBuffer,
  type CertificateDoc,
  type CertificateFacts,
  type CertificateModels,
  type CertificateSlotDoc,
  type ReissueReason,
} from './certificate.model';
import type { CertificateTexts } from './certificates.texts';
import { type CredentialSigner, ISSUER_PATH, openBadgeCredential } from './credential';
import type { StatusList } from './status-list';

/** The course a certificate is for. course_completions holds one completion per learner, so it is also the "version". */
export const COURSE_ID = 'localizing-the-sdgs';
const MAX_GENERATIONS = 1000;

export const slotId = (userId: string, generation: number) => `${userId}:${COURSE_ID}:${generation}`;

export type IssuingDeps = {
  models: CertificateModels;
  learning: Pick<LearningModels, 'CourseCompletion' | 'ModuleCompletion'>;
  User: UserModel;
  content: ContentService;
  signer: CredentialSigner;
  /** gives each new certificate its bit in the revocation status list */
  statusList: Pick<StatusList, 'allocate' | 'entry'>;
  texts: CertificateTexts;
  baseUrl: string;
  issuer: { organisation: string; signatory: string | undefined };
  /** told of each certificate this process inserted (one per certificate, whatever the races) */
  onIssued: (certificate: CertificateDoc, pdf: Buffer) => Promise<void>;
  clock?: () => Date;
};

/**
 * Issuing, in two idempotent steps. `claim` inserts the slot for a learner's next generation with
 * the facts frozen now and a fresh code: the slot's primary key lets exactly one claimant win.
 * `materialize` turns a slot into its PDF and certificate; whoever runs it, however often, ends with
 * the same stored PDF and one certificate — so a crash between the steps heals on the next visit.
 */
export function createIssuing(deps: IssuingDeps) {
  const { models, learning, User, content, signer, texts, baseUrl, issuer } = deps;
  const clock = deps.clock ?? (() => new Date());
  const verifyUrl = (code: string) => `${baseUrl}/verify/${formatCode(code)}`;

  /** What the certificate will say, read now; undefined when the learner has not completed the course. */
  async function gatherFacts(userId: string): Promise<CertificateFacts | undefined> {
    // the completion first: most dashboards are of learners who have not completed, and need no more
    const completion = await learning.CourseCompletion.findOne({ userId }).lean();
    if (!completion) return undefined;
    const [user, done] = await Promise.all([
      User.findById(userId, { name: 1, email: 1, language: 1 }).lean(),
      learning.ModuleCompletion.find({ userId }, { moduleId: 1, moduleVersion: 1 }).lean(),
    ]);
    if (!user) return undefined;
    const modules = await Promise.all(
      completion.moduleIds.map(async (moduleId) => {
        // The titles of the versions the learner completed, not of whatever is published today.
        const version = done.find((m) => m.moduleId === moduleId)?.moduleVersion;
        const module = (version ? await content.getVersion(moduleId, version) : undefined) ?? (await content.getModule(moduleId));
        const title: Localized = module?.title ?? { en: moduleId, es: moduleId, fr: moduleId };
        return { id: moduleId, version: module?.version ?? version ?? 0, title };
      }),
    );
    return {
      holderName: user.name,
      holderEmail: user.email,
      language: user.language,
      courseTitle: texts.courseTitle(),
      modules,
      completedAt: completion.completedAt,
      issuer: { organisation: issuer.organisation, signatory: issuer.signatory ?? texts.defaultSignatory(user.language) },
      issuedAt: clock(),
    };
  }

  /** Inserts the slot, or reads the one that won; `won` tells which. */
  async function claim(userId: string, generation: number, facts: CertificateFacts, replaces?: string, reissueReason?: ReissueReason) {
    const slot: CertificateSlotDoc = { _id: slotId(userId, generation), userId, generation, code: newCertificateCode(), facts };
    if (replaces) slot.replaces = replaces;
    if (reissueReason) slot.reissueReason = reissueReason;
    if (await insertOnce(() => models.CertificateSlot.create(slot))) return { slot, won: true };
    const existing = await models.CertificateSlot.findById(slot._id).lean<CertificateSlotDoc>();
    if (!existing) throw new Error(`certificate slot ${slot._id} refused as a duplicate but not found`);
    return { slot: existing, won: false };
  }

  function renderPdf(slot: CertificateSlotDoc): Promise<Buffer> {
    const f = slot.facts;
    const lng: Language = f.language;
    return renderCertificatePdf({
      code: formatCode(slot.code),
      verifyUrl: verifyUrl(slot.code),
      holderName: f.holderName,
      courseTitle: f.courseTitle[lng],
      moduleTitles: f.modules.map((m) => m.title[lng]),
      issuer: f.issuer,
      language: lng,
      issuedAt: f.issuedAt,
      wording: texts.pdf(lng, { date: texts.formatDate(lng, f.completedAt) }),
    });
  }

  function credentialFor(slot: CertificateSlotDoc, statusListIndex: number) {
    const f = slot.facts;
    const lng: Language = f.language;
    const course = f.courseTitle[lng];
    const words = texts.credential(lng, { course, modules: f.modules.map((m) => m.title[lng]).join('; ') });
    return openBadgeCredential({
      id: verifyUrl(slot.code),
      name: words.name,
      issuer: { id: `${baseUrl}${ISSUER_PATH}`, name: f.issuer.organisation, url: baseUrl },
      validFrom: f.issuedAt,
      holderName: f.holderName,
      completedAt: f.completedAt,
      language: lng,
      achievement: { id: `${baseUrl}/modules`, name: course, description: words.description, criteria: words.criteria },
      credentialStatus: deps.statusList.entry(statusListIndex),
    });
  }

  async function storePdf(code: string, rendered: Buffer): Promise<Buffer> {
    if (await insertOnce(() => models.CertificatePdf.create({ _id: code, data: rendered }))) return rendered;
    const stored = await models.CertificatePdf.findById(code).lean();
    return asBuffer(stored!.data);
  }

  /** The slot's certificate, creating its PDF and record if they are not there yet. */
  async function materialize(slot: CertificateSlotDoc): Promise<CertificateDoc> {
    const existing = await models.Certificate.findById(slot.code).lean<CertificateDoc>();
    if (existing) return existing;
    // The hash is of the bytes stored, whichever render got there first.
    const pdf = await storePdf(slot.code, await renderPdf(slot));
    // A materializer that loses the insert below leaves its index unused: its bit stays 0 for ever.
    const statusListIndex = await deps.statusList.allocate(slot.code);
    const certificate: CertificateDoc = {
      _id: slot.code,
      slotId: slot._id,
      userId: slot.userId,
      generation: slot.generation,
      ...slot.facts,
      pdfSha256: crypto.createHash('sha256').update(pdf).digest('hex'),
      pdfBytes: pdf.length,
      credential: await signer.sign(credentialFor(slot, statusListIndex)),
      statusListIndex,
    };
    if (slot.replaces) certificate.replaces = slot.replaces;
    if (!(await insertOnce(() => models.Certificate.create(certificate)))) {
      return (await models.Certificate.findById(slot.code).lean<CertificateDoc>())!;
    }
    await deps.onIssued(certificate, pdf);
    return certificate;
  }

  /** The learner's latest slot: the first, then each re-issue after it. */
  async function latestSlot(userId: string): Promise<CertificateSlotDoc | undefined> {
    let slot = await models.CertificateSlot.findById(slotId(userId, 1)).lean<CertificateSlotDoc>();
    if (!slot) return undefined;
    for (let generation = 2; generation < MAX_GENERATIONS; generation++) {
      const next = await models.CertificateSlot.findById(slotId(userId, generation)).lean<CertificateSlotDoc>();
      if (!next) break;
      slot = next;
    }
    return slot;
  }

  /** The learner's first certificate, if they completed the course: claimed now, or the one already claimed. */
  async function issueFirst(userId: string): Promise<CertificateDoc | undefined> {
    const facts = await gatherFacts(userId);
    if (!facts) return undefined;
    const { slot } = await claim(userId, 1, facts);
    return materialize(slot);
  }

  /**
   * The learner's current certificate, issuing the first one if they completed the course and have
   * none. Safe to call from anywhere, any number of times, at the same time.
   */
  async function ensureIssued(userId: string): Promise<CertificateDoc | undefined> {
    const latest = await latestSlot(userId);
    return latest ? materialize(latest) : issueFirst(userId);
  }

  /** A new certificate replacing `previous`, with the learner's facts as they are now; undefined if one already did. */
  async function reissue(previous: CertificateDoc, reason: ReissueReason): Promise<CertificateDoc | 'superseded' | 'no-completion'> {
    if (await models.CertificateSlot.exists({ _id: slotId(previous.userId, previous.generation + 1) })) return 'superseded';
    const facts = await gatherFacts(previous.userId);
    if (!facts) return 'no-completion';
    const { slot, won } = await claim(previous.userId, previous.generation + 1, facts, previous._id, reason);
    if (!won) return 'superseded';
    return materialize(slot);
  }

  return { ensureIssued, issueFirst, reissue, verifyUrl };
}

export type Issuing = ReturnType<typeof createIssuing>;
