import crypto from 'node:crypto';
import { GridFSBucket, type ObjectId } from 'mongodb';
import type { Connection } from 'mongoose';
import { retryOnDuplicate, upsertRacing } from '../../platform/database';
import { readCourseFolder } from './course-folder';
import type { Glossary, Lang } from './content.schemas';
import { type ContentModels, contentModels, type GlossaryDoc, type LessonDoc, type ModuleVersionDoc } from './content.model';
import { renderMarkdown } from './markdown';
import type { ParsedModule } from './package-loader';
import { plainDescription } from './page-meta';

export const MEDIA_BUCKET = 'media';

export type PublishedModule = ModuleVersionDoc & { lessonIndex: Map<string, number> };

type Cache = {
  checkedAt: number;
  releases: Map<string, number>;
  /** when each module's current version was published: the Last-Modified of its pages */
  publishedAt: Map<string, Date>;
  modules: PublishedModule[];
  glossary?: GlossaryDoc;
};

export type ContentService = ReturnType<typeof createContentService>;

export function createContentService(deps: { connection: Connection; clock?: () => number; refreshMs?: number }) {
  const { connection } = deps;
  const models: ContentModels = contentModels(connection);
  const clock = deps.clock ?? Date.now;
  const refreshMs = deps.refreshMs ?? 5000;
  const bucket = () => new GridFSBucket(connection.db!, { bucketName: MEDIA_BUCKET });

  // Versions are immutable, so a version once read never needs reading again.
  const versionCache = new Map<string, PublishedModule>();
  const htmlCache = new Map<string, string>();
  let cache: Cache | undefined;

  async function storeMedia(parsed: ParsedModule, version: number) {
    const stored = [];
    for (const m of parsed.media) {
      const upload = bucket().openUploadStream(`${parsed.id}/${version}/${m.name}`, {
        metadata: { moduleId: parsed.id, version, name: m.name, contentType: m.contentType },
      });
      await new Promise<void>((resolve, reject) => upload.once('finish', () => resolve()).once('error', reject).end(m.bytes));
      const sha256 = crypto.createHash('sha256').update(m.bytes).digest('hex');
      stored.push({ name: m.name, contentType: m.contentType, size: m.bytes.length, sha256, fileId: upload.id });
    }
    return stored;
  }

  /** Stores a parsed package as the module's next version, unless the latest version has the same content. */
  async function importModule(parsed: ParsedModule, options: { source: 'seed' | 'upload'; by?: string }) {
    // Another import may take the same version number first: our media are dropped and the next number tried.
    return retryOnDuplicate(async () => {
      const latest = await models.ModuleVersion.findOne({ moduleId: parsed.id }, { version: 1, contentHash: 1 })
        .sort({ version: -1 })
        .lean();
      if (latest && latest.contentHash === parsed.contentHash) return { moduleId: parsed.id, version: latest.version, created: false };
      const version = (latest?.version ?? 0) + 1;
      const media = await storeMedia(parsed, version);
      try {
        await models.ModuleVersion.create({
          moduleId: parsed.id,
          version,
          order: parsed.order,
          estimatedMinutes: parsed.estimatedMinutes,
          title: parsed.title,
          summary: parsed.summary,
          lessons: parsed.lessons,
          quiz: parsed.quiz,
          ...(parsed.worksheet ? { worksheet: parsed.worksheet } : {}),
          ...(parsed.completion ? { completion: parsed.completion } : {}),
          media,
          contentHash: parsed.contentHash,
          sources: parsed.sources,
          warnings: parsed.warnings,
          source: options.source,
          createdBy: options.by,
          createdAt: new Date(clock()),
        });
        return { moduleId: parsed.id, version, created: true };
      } catch (err) {
        await Promise.all(media.map((m) => bucket().delete(m.fileId as ObjectId).catch(() => {})));
        throw err;
      }
    });
  }

  const publishListeners: ((moduleId: string, version: number) => void)[] = [];

  async function publish(moduleId: string, version: number, by?: string) {
    const exists = await models.ModuleVersion.exists({ moduleId, version });
    if (!exists) throw new Error(`module ${moduleId} has no version ${version}`);
    await upsertRacing(() =>
      models.ModuleRelease.updateOne(
        { _id: moduleId },
        { $set: { publishedVersion: version, publishedAt: new Date(clock()), publishedBy: by } },
        { upsert: true },
      ),
    );
    cache = undefined;
    for (const listener of publishListeners) listener(moduleId, version);
  }

  async function importGlossary(glossary: Glossary, contentHash: string) {
    await upsertRacing(() =>
      models.Glossary.updateOne(
        { _id: 'course' },
        { $set: { terms: glossary.terms, contentHash, updatedAt: new Date(clock()) } },
        { upsert: true },
      ),
    );
    cache = undefined;
  }

  /**
   * Loads modules/ (every NN-slug folder and glossary.yaml): validates everything first, so a
   * broken folder changes nothing (InvalidContentError); then imports and publishes each module whose content changed.
   */
  async function seedFromFolder(dir: string) {
    const { parsed, glossary } = readCourseFolder(dir);
    const report = [];
    for (const module of parsed) {
      const imported = await importModule(module, { source: 'seed' });
      const release = await models.ModuleRelease.findById(module.id).lean();
      if (imported.created || !release) await publish(module.id, imported.version);
      const warnings = module.warnings.map((w) => ({ ...w, file: `${module.folder}/${w.file}` }));
      report.push({ ...imported, published: imported.created || !release, warnings });
    }
    if (glossary) await importGlossary(glossary.data, glossary.hash);
    return report;
  }

  async function hasCourse(): Promise<boolean> {
    return (await models.ModuleRelease.countDocuments()) > 0;
  }

  async function versionDoc(moduleId: string, version: number): Promise<PublishedModule | undefined> {
    const key = `${moduleId}@${version}`;
    const hit = versionCache.get(key);
    if (hit) return hit;
    const doc = await models.ModuleVersion.findOne({ moduleId, version }).lean<ModuleVersionDoc>();
    if (!doc) return undefined;
    const published: PublishedModule = { ...doc, lessonIndex: new Map(doc.lessons.map((l, i) => [l.id, i])) };
    versionCache.set(key, published);
    return published;
  }

  /**
   * The published course, from memory. Releases are re-read at most every `refreshMs`, so a publish
   * on another instance shows up within seconds while a page view costs no content query.
   */
  async function current(): Promise<Cache> {
    if (cache && clock() - cache.checkedAt < refreshMs) return cache;
    const releases = await models.ModuleRelease.find().lean();
    const releaseMap = new Map(releases.map((r) => [r._id, r.publishedVersion]));
    const same = cache && cache.releases.size === releaseMap.size && [...releaseMap].every(([k, v]) => cache?.releases.get(k) === v);
    if (cache && same) {
      cache.checkedAt = clock();
      return cache;
    }
    const publishedAt = new Map(releases.map((r) => [r._id, new Date(r.publishedAt ?? 0)]));
    const modules = (await Promise.all(releases.map((r) => versionDoc(r._id, r.publishedVersion)))).filter(
      (m): m is PublishedModule => m !== undefined,
    );
    modules.sort((a, b) => a.order - b.order || a.moduleId.localeCompare(b.moduleId));
    const glossary = (await models.Glossary.findById('course').lean<GlossaryDoc>()) ?? undefined;
    cache = { checkedAt: clock(), releases: releaseMap, publishedAt, modules, glossary };
    return cache;
  }

  async function getModule(moduleId: string): Promise<PublishedModule | undefined> {
    return (await current()).modules.find((m) => m.moduleId === moduleId);
  }

  function lessonHtml(module: PublishedModule, lesson: LessonDoc, lng: Lang, tableLabel?: string): string {
    const key = `${module.moduleId}@${module.version}/${lesson.id}/${lng}`;
    let html = htmlCache.get(key);
    if (html === undefined) {
      html = renderMarkdown(lesson.body[lng], module.moduleId, undefined, tableLabel);
      htmlCache.set(key, html);
    }
    return html;
  }

  const descriptionCache = new Map<string, string>();
  /** the lesson's first paragraph as plain text, for search results and link previews */
  function lessonDescription(module: PublishedModule, lesson: LessonDoc, lng: Lang): string {
    const key = `${module.moduleId}@${module.version}/${lesson.id}/${lng}`;
    let text = descriptionCache.get(key);
    if (text === undefined) {
      text = plainDescription(lesson.body[lng]) || module.summary[lng];
      descriptionCache.set(key, text);
    }
    return text;
  }

  function mediaOf(module: ModuleVersionDoc | undefined, name: string) {
    const media = module?.media.find((m) => m.name === name);
    if (!media) return undefined;
    return { contentType: media.contentType, size: media.size, stream: bucket().openDownloadStream(media.fileId as ObjectId) };
  }

  async function openMedia(moduleId: string, name: string) {
    return mediaOf(await getModule(moduleId), name);
  }

  /** A media file of any version, published or not (admins preview drafts and export versions). */
  async function openVersionMedia(moduleId: string, version: number, name: string) {
    return mediaOf(await versionDoc(moduleId, version), name);
  }

  return {
    importModule,
    publish,
    /** calls `listener` after each publish on this instance (e.g. to render what depends on the version) */
    onPublished: (listener: (moduleId: string, version: number) => void) => publishListeners.push(listener),
    seedFromFolder,
    hasCourse,
    modules: async () => (await current()).modules,
    glossary: async () => (await current()).glossary,
    /** when a module's published version was published (the epoch if unknown) */
    publishedAt: async (moduleId: string) => (await current()).publishedAt.get(moduleId) ?? new Date(0),
    getModule,
    /** a specific (possibly unpublished or older) version: versions never change, so this is cached */
    getVersion: versionDoc,
    lessonHtml,
    lessonDescription,
    openMedia,
    openVersionMedia,
    /** the version learners see of a module, if it was ever published */
    publishedVersionOf: async (moduleId: string): Promise<number | undefined> =>
      (await models.ModuleRelease.findById(moduleId, { publishedVersion: 1 }).lean())?.publishedVersion,
    /** every stored version (list fields only) and every module's published version: two queries */
    async versionList() {
      const [versions, releases] = await Promise.all([
        models.ModuleVersion.find({}, { moduleId: 1, version: 1, order: 1, title: 1, createdAt: 1, source: 1 }).lean(),
        models.ModuleRelease.find({}, { publishedVersion: 1 }).lean(),
      ]);
      return { versions, published: new Map(releases.map((r) => [r._id, r.publishedVersion])) };
    },
    /** the stored version of a module with exactly this content, if any */
    versionWithContent: async (moduleId: string, contentHash: string): Promise<number | undefined> =>
      (await models.ModuleVersion.findOne({ moduleId, contentHash }, { version: 1 }).lean())?.version,
  };
}
