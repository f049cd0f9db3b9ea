import type { Actor as ActingUser } from '../../platform/roles';
import { type ContentService, checkWorksheetRefs, loadModulePackage, worksheetOffer, type Localized, type ModuleVersionDoc } from '../content';
import type { AuditLog, AuditParty } from '../audit';
import { versionFiles } from './package-export';
import { DEFAULT_ZIP_LIMITS, readPackageZip, writePackageZip, type ZipLimits } from './package-zip';
import { translationReport } from './translation-report';
import { fromPackageError, type UploadProblem } from './upload-problems';
import { versionChanges } from './version-diff';

/** Where a version stands: the one learners see, newer than it (a draft), or older (a roll-back target). */
export type VersionStatus = 'published' | 'draft' | 'earlier';

export type VersionRow = { version: number; createdAt: Date; source: 'seed' | 'upload'; status: VersionStatus };
export type ModuleRow = { moduleId: string; order: number; title: Localized; publishedVersion?: number; versions: VersionRow[] };

export type UploadOutcome =
  | { status: 'refused'; errors: UploadProblem[] }
  | { status: 'stored' | 'same'; moduleId: string; version: number };

export type PublishOutcome =
  | { status: 'not-found' }
  | { status: 'unchanged' | 'published' | 'rolledBack'; moduleId: string; version: number; from?: number };

/** The acting admin, as the audit log records them. */
export type Actor = Pick<ActingUser, 'id'> & AuditParty;

function statusOf(version: number, published: number | undefined): VersionStatus {
  if (version === published) return 'published';
  return published === undefined || version > published ? 'draft' : 'earlier';
}

/**
 * Managing module content: uploads become stored draft versions only after every check passed;
 * publishing and rolling back switch the release in one write; every change goes to the audit log.
 */
export function createAdminContentService(deps: { content: ContentService; audit: AuditLog; limits?: ZipLimits }) {
  const { content, audit } = deps;
  const limits = deps.limits ?? DEFAULT_ZIP_LIMITS;
  const publishedVersionOf = content.publishedVersionOf;

  return {
    limits,

    /** Every module with its versions, newest first: two queries, whatever the number of modules. */
    async modules(): Promise<ModuleRow[]> {
      const { versions, published } = await content.versionList();
      const rows = new Map<string, ModuleRow>();
      for (const v of versions.sort((a, b) => b.version - a.version)) {
        const pv = published.get(v.moduleId);
        let row = rows.get(v.moduleId);
        if (!row) {
          row = { moduleId: v.moduleId, order: v.order, title: v.title, publishedVersion: pv, versions: [] };
          rows.set(v.moduleId, row);
        }
        if (v.version === pv) row.title = v.title;
        row.versions.push({ version: v.version, createdAt: v.createdAt, source: v.source, status: statusOf(v.version, pv) });
      }
      return [...rows.values()].sort((a, b) => a.order - b.order || a.moduleId.localeCompare(b.moduleId));
    },

    /**
     * Checks an uploaded package completely (zip, then format) and stores it as a new draft version.
     * A refused package changes nothing; a package identical to a stored version stores nothing.
     */
    async upload(input: { bytes: Buffer; name: string }, actor: Actor, ip?: string): Promise<UploadOutcome> {
      const unzipped = await readPackageZip(input.bytes, input.name, limits);
      if (!unzipped.ok) return { status: 'refused', errors: unzipped.errors };
      const loaded = loadModulePackage(unzipped.files);
      if (!loaded.ok) return { status: 'refused', errors: loaded.errors.map(fromPackageError) };
      const parsed = loaded.module;
      // a worksheet's `from:` must name a field of another published module's worksheet
      const others = (await content.modules()).filter((m) => m.moduleId !== parsed.id).map((m) => ({ id: m.moduleId, worksheet: m.worksheet }));
      const refErrors = checkWorksheetRefs(parsed.worksheetRefs, worksheetOffer(others));
      if (refErrors.length > 0) return { status: 'refused', errors: refErrors.map(fromPackageError) };
      const same = await content.versionWithContent(parsed.id, parsed.contentHash);
      if (same !== undefined) return { status: 'same', moduleId: parsed.id, version: same };
      const imported = await content.importModule(parsed, { source: 'upload', by: actor.id });
      if (!imported.created) return { status: 'same', moduleId: parsed.id, version: imported.version };
      await audit.record({ action: 'content.uploaded', actor, ip, details: { module: parsed.id, version: String(imported.version) } });
      return { status: 'stored', moduleId: parsed.id, version: imported.version };
    },

    /** One version with what an admin decides on: its status, the translation report, the changes. */
    async version(moduleId: string, version: number) {
      const doc = await content.getVersion(moduleId, version);
      if (!doc) return undefined;
      const publishedVersion = await publishedVersionOf(moduleId);
      const published = publishedVersion !== undefined && publishedVersion !== version ? await content.getVersion(moduleId, publishedVersion) : undefined;
      return {
        doc,
        status: statusOf(version, publishedVersion),
        publishedVersion,
        translations: translationReport(doc),
        changes: published ? versionChanges(doc, published) : undefined,
      };
    },

    getVersion: (moduleId: string, version: number): Promise<ModuleVersionDoc | undefined> => content.getVersion(moduleId, version),
    openMedia: (moduleId: string, version: number, name: string) => content.openVersionMedia(moduleId, version, name),

    /** Makes `version` the one learners see, in one write: a publish, or a roll-back when it is older. */
    async publish(moduleId: string, version: number, actor: Actor, ip?: string): Promise<PublishOutcome> {
      if (!(await content.getVersion(moduleId, version))) return { status: 'not-found' };
      const from = await publishedVersionOf(moduleId);
      if (from === version) return { status: 'unchanged', moduleId, version, from };
      await content.publish(moduleId, version, actor.id);
      const status = from !== undefined && version < from ? 'rolledBack' : 'published';
      const details: Record<string, string> = { module: moduleId, version: String(version) };
      if (from !== undefined) details.from = String(from);
      await audit.record({ action: status === 'rolledBack' ? 'content.rolledBack' : 'content.published', actor, ip, details });
      return { status, moduleId, version, from };
    },

    /** A version as a package again: same files, same order, same date, so the same bytes every time. */
    async exportZip(moduleId: string, version: number): Promise<{ fileName: string; bytes: Buffer } | undefined> {
      const doc = await content.getVersion(moduleId, version);
      if (!doc) return undefined;
      const bytes = await writePackageZip(await versionFiles(content, doc), new Date(doc.createdAt));
      return { fileName: `${moduleId}-v${version}.zip`, bytes };
    },
  };
}

export type AdminContentService = ReturnType<typeof createAdminContentService>;
