import { type Lang, LANGS, type ModuleVersionDoc } from '../content';
import { CONTENT_PATH, previewPath, versionPath } from './admin-content.paths';
import type { VersionStatus } from './admin-content.service';
import type { LanguageReport } from './translation-report';
import type { VersionChanges } from './version-diff';

type Found = {
  doc: ModuleVersionDoc;
  status: VersionStatus;
  publishedVersion?: number;
  translations: LanguageReport[];
  changes?: VersionChanges;
};

/** What the version page shows, with titles in the admin's language; the view only translates labels. */
export function versionView(found: Found, lng: Lang) {
  const { doc, status, publishedVersion, translations, changes } = found;
  const path = versionPath(doc.moduleId, doc.version);
  const lessonTitle = (l: { id: string; title: Record<Lang, string> }) => ({ id: l.id, title: l.title[lng] });
  return {
    module: { id: doc.moduleId, title: doc.title[lng] },
    version: doc.version,
    status,
    publishedVersion,
    createdAt: doc.createdAt,
    source: doc.source,
    counts: { lessons: doc.lessons.length, questions: doc.quiz.questions.length, media: doc.media.length },
    listHref: CONTENT_PATH,
    publishAction: `${path}/publish`,
    exportHref: `${path}/export.zip`,
    previews: LANGS.map((l) => ({ lng: l, href: previewPath(doc.moduleId, doc.version, l) })),
    translations,
    changes: changes && {
      ...changes,
      lessons: {
        added: changes.lessons.added.map(lessonTitle),
        removed: changes.lessons.removed.map(lessonTitle),
        changed: changes.lessons.changed.map((c) => ({ ...lessonTitle(c), parts: c.parts, languages: c.languages })),
        reordered: changes.lessons.reordered,
      },
    },
  };
}
