import { isDeepStrictEqual } from 'node:util';
import { LANGS, type Lang, type Localized, type MediaDoc, type ModuleVersionDoc, requiresWorksheet } from '../content';

type Version = Pick<ModuleVersionDoc, 'version' | 'order' | 'estimatedMinutes' | 'title' | 'summary' | 'lessons' | 'quiz' | 'media' | 'worksheet' | 'completion'>;

export type LessonRef = { id: string; title: Localized };
export type LessonChange = LessonRef & { parts: ('title' | 'text')[]; languages: Lang[] };
export type QuestionChange = { id: string; parts: ('type' | 'prompt' | 'options' | 'explanation')[] };

/** What a version changes against another (the published one): ids added, removed and changed. */
export type VersionChanges = {
  against: number;
  module: ('title' | 'summary' | 'order' | 'estimatedMinutes' | 'passPercent' | 'questionsPerAttempt' | 'maxAttempts' | 'worksheet' | 'completion')[];
  lessons: { added: LessonRef[]; removed: LessonRef[]; changed: LessonChange[]; reordered: boolean };
  questions: { added: string[]; removed: string[]; changed: QuestionChange[] };
  media: { added: string[]; removed: string[]; changed: string[] };
  none: boolean;
};

const differsIn = (a: Localized, b: Localized) => LANGS.filter((lng) => a[lng] !== b[lng]);

/** Versions stored before media had a checksum are compared by size and type. */
function mediaDiffers(a: MediaDoc, b: MediaDoc): boolean {
  if (a.sha256 && b.sha256) return a.sha256 !== b.sha256;
  return a.size !== b.size || a.contentType !== b.contentType;
}

function byId<T extends { id: string }>(items: T[]): Map<string, T> {
  return new Map(items.map((i) => [i.id, i]));
}

export function versionChanges(next: Version, published: Version): VersionChanges {
  const module: VersionChanges['module'] = [];
  if (differsIn(next.title, published.title).length) module.push('title');
  if (differsIn(next.summary, published.summary).length) module.push('summary');
  if (next.order !== published.order) module.push('order');
  if (next.estimatedMinutes !== published.estimatedMinutes) module.push('estimatedMinutes');
  for (const key of ['passPercent', 'questionsPerAttempt', 'maxAttempts'] as const) {
    if (next.quiz[key] !== published.quiz[key]) module.push(key);
  }
  if (!isDeepStrictEqual(next.worksheet, published.worksheet)) module.push('worksheet');
  // whether completing the module needs the worksheet finished: learners' completion depends on it
  if (requiresWorksheet(next) !== requiresWorksheet(published)) module.push('completion');

  const oldLessons = byId(published.lessons);
  const newLessons = byId(next.lessons);
  const lessons: VersionChanges['lessons'] = {
    added: next.lessons.filter((l) => !oldLessons.has(l.id)).map((l) => ({ id: l.id, title: l.title })),
    removed: published.lessons.filter((l) => !newLessons.has(l.id)).map((l) => ({ id: l.id, title: l.title })),
    changed: [],
    reordered: false,
  };
  for (const l of next.lessons) {
    const old = oldLessons.get(l.id);
    if (!old) continue;
    const titleLangs = differsIn(l.title, old.title);
    const textLangs = differsIn(l.body, old.body);
    const parts: LessonChange['parts'] = [];
    if (titleLangs.length) parts.push('title');
    if (textLangs.length) parts.push('text');
    const languages = LANGS.filter((lng) => titleLangs.includes(lng) || textLangs.includes(lng));
    if (parts.length) lessons.changed.push({ id: l.id, title: l.title, parts, languages });
  }
  const kept = (list: { id: string }[], other: Map<string, unknown>) => list.filter((l) => other.has(l.id)).map((l) => l.id);
  lessons.reordered = !isDeepStrictEqual(kept(next.lessons, oldLessons), kept(published.lessons, newLessons));

  const oldQuestions = byId(published.quiz.questions);
  const newQuestions = byId(next.quiz.questions);
  const questions: VersionChanges['questions'] = {
    added: next.quiz.questions.filter((q) => !oldQuestions.has(q.id)).map((q) => q.id),
    removed: published.quiz.questions.filter((q) => !newQuestions.has(q.id)).map((q) => q.id),
    changed: [],
  };
  for (const q of next.quiz.questions) {
    const old = oldQuestions.get(q.id);
    if (!old) continue;
    const parts: QuestionChange['parts'] = [];
    if (q.type !== old.type) parts.push('type');
    if (!isDeepStrictEqual(q.prompt, old.prompt)) parts.push('prompt');
    if (!isDeepStrictEqual(q.options, old.options)) parts.push('options');
    if (!isDeepStrictEqual(q.explanation, old.explanation)) parts.push('explanation');
    if (parts.length) questions.changed.push({ id: q.id, parts });
  }

  const oldMedia = new Map(published.media.map((m) => [m.name, m]));
  const newMedia = new Map(next.media.map((m) => [m.name, m]));
  const media: VersionChanges['media'] = {
    added: next.media.filter((m) => !oldMedia.has(m.name)).map((m) => m.name),
    removed: published.media.filter((m) => !newMedia.has(m.name)).map((m) => m.name),
    changed: next.media.filter((m) => oldMedia.has(m.name) && mediaDiffers(m, oldMedia.get(m.name)!)).map((m) => m.name),
  };

  const none =
    module.length === 0 &&
    !lessons.reordered &&
    [lessons.added, lessons.removed, lessons.changed, questions.added, questions.removed, questions.changed, media.added, media.removed, media.changed].every(
      (list) => list.length === 0,
    );
  return { against: published.version, module, lessons, questions, media, none };
}
