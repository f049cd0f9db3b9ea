import { GridFSBucket, type ObjectId } from 'mongodb';
import { createFormatter } from '../../platform/format';
import type { i18n as I18n } from 'i18next';
import type { Connection } from 'mongoose';
import type { Readable } from 'node:stream';
import type { ContentService, Lang, PublishedModule } from '../content';
import { renderHandbookPdf } from './handbook-pdf';

export const HANDBOOK_BUCKET = 'handbooks';
/** Bumped when the renderer changes, so stored handbooks of the old layout are not served. */
const RENDERER = 'r1';

export type StoredHandbook = { fileId: ObjectId; size: number; version: number };

/** Glossary terms a module uses: those whose name (before any bracket) appears in one of its lessons. */
export function termsUsedBy(module: PublishedModule, terms: { term: Record<Lang, string>; definition: Record<Lang, string> }[], lng: Lang) {
  const text = module.lessons.map((l) => l.body[lng]).join('\n').toLocaleLowerCase(lng);
  return terms
    .filter((t) => {
      const name = t.term[lng].replace(/\s*\(.*\)\s*$/, '').trim().toLocaleLowerCase(lng);
      return name.length > 1 && text.includes(name);
    })
    .map((t) => ({ term: t.term[lng], definition: t.definition[lng] }))
    .sort((a, b) => a.term.localeCompare(b.term, lng));
}

/**
 * A printable handbook per module version and language, rendered once and kept in GridFS: later
 * downloads only stream the stored file. A publish renders the new version's handbooks at once (in
 * the background); a handbook still missing is rendered on its first download.
 */
export function createHandbookService(deps: {
  connection: Connection;
  content: ContentService;
  i18n: I18n;
  onError: (err: unknown) => void;
}) {
  const { connection, content, i18n } = deps;
  const bucket = () => new GridFSBucket(connection.db!, { bucketName: HANDBOOK_BUCKET });
  const filename = (moduleId: string, version: number, lng: Lang) => `${moduleId}/${version}/${lng}.${RENDERER}.pdf`;
  const known = new Map<string, StoredHandbook>();
  const rendering = new Map<string, Promise<StoredHandbook>>();

  async function find(moduleId: string, version: number, lng: Lang): Promise<StoredHandbook | undefined> {
    const name = filename(moduleId, version, lng);
    const hit = known.get(name);
    if (hit) return hit;
    // two instances may both render one: the first stored is the one served, everywhere
    const [file] = await bucket().find({ filename: name }).sort({ uploadDate: 1 }).limit(1).toArray();
    if (!file) return undefined;
    const stored = { fileId: file._id, size: file.length, version };
    known.set(name, stored);
    return stored;
  }

  async function mediaOf(module: PublishedModule) {
    const media = new Map<string, { contentType: string; bytes: Buffer }>();
    for (const m of module.media.filter((f) => f.contentType.startsWith('image/'))) {
      const file = await content.openVersionMedia(module.moduleId, module.version, m.name);
      if (!file) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of file.stream) chunks.push(chunk as Buffer);
      media.set(m.name, { contentType: m.contentType, bytes: Buffer.concat(chunks) });
    }
    return media;
  }

  async function render(module: PublishedModule, lng: Lang, publishedAt: Date): Promise<Buffer> {
    const t = i18n.getFixedT(lng, 'content');
    const glossary = await content.glossary();
    const date = createFormatter(lng).date;
    return renderHandbookPdf({
      language: lng,
      courseTitle: i18n.getFixedT(lng, 'certificates')('course.title'), // the course's name, as certificates print it
      moduleTitle: module.title[lng],
      summary: module.summary[lng],
      version: module.version,
      publishedAt,
      lessons: module.lessons.map((l) => ({ id: l.id, title: l.title[lng], body: l.body[lng] })),
      glossary: termsUsedBy(module, glossary?.terms ?? [], lng),
      media: await mediaOf(module),
      words: {
        contents: t('handbook.contents'),
        lesson: (n) => t('handbook.lessonNumber', { number: n }),
        glossary: t('glossary.heading'),
        figure: t('handbook.figure'),
        page: (n, total) => t('handbook.page', { number: n, total }),
        version: (version, d) => t('handbook.version', { version, date: date(d) }),
        fillIn: t('handbook.fillIn'),
      },
    });
  }

  async function store(module: PublishedModule, lng: Lang, pdf: Buffer): Promise<StoredHandbook> {
    const upload = bucket().openUploadStream(filename(module.moduleId, module.version, lng), {
      metadata: { moduleId: module.moduleId, version: module.version, language: lng, contentType: 'application/pdf' },
    });
    await new Promise<void>((resolve, reject) => upload.once('finish', () => resolve()).once('error', reject).end(pdf));
    return (await find(module.moduleId, module.version, lng))!;
  }

  /** The stored handbook of this version and language, rendered and stored first if it is missing. */
  async function ensure(module: PublishedModule, lng: Lang): Promise<StoredHandbook> {
    const existing = await find(module.moduleId, module.version, lng);
    if (existing) return existing;
    const key = filename(module.moduleId, module.version, lng);
    let job = rendering.get(key);
    if (!job) {
      job = (async () => store(module, lng, await render(module, lng, await content.publishedAt(module.moduleId))))();
      rendering.set(key, job);
      job.finally(() => rendering.delete(key)).catch(() => {});
    }
    return job;
  }

  content.onPublished((moduleId, version) => {
    void (async () => {
      const module = await content.getVersion(moduleId, version);
      if (!module) return;
      for (const lng of ['en', 'es', 'fr'] as const) await ensure(module, lng);
    })().catch(deps.onError);
  });

  return {
    find,
    ensure,
    /**
     * The handbook to download: the published version's (rendered if missing), or an earlier
     * version's by its number, if one was stored when that version was published.
     */
    async open(moduleId: string, lng: Lang, version?: number): Promise<(StoredHandbook & { stream: Readable }) | undefined> {
      const published = await content.getModule(moduleId);
      let stored: StoredHandbook | undefined;
      if (version === undefined || version === published?.version) stored = published && (await ensure(published, lng));
      else stored = await find(moduleId, version, lng);
      if (!stored) return undefined;
      return { ...stored, stream: bucket().openDownloadStream(stored.fileId) };
    },
  };
}

export type HandbookService = ReturnType<typeof createHandbookService>;
