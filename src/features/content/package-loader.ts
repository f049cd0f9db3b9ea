import { isUtf8 } from 'node:buffer';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Lang, LANGS, type Localized, type ModuleCompletionRule, moduleSchema, type QuizYaml, quizSchema, stableId } from './content.schemas';
import { analyzeMarkdown } from './markdown';
import { sniffMedia } from './media-types';
import { normalizeLessonHeadings } from './lesson-headings';
import { codeOfIssue, fieldPath, type PackageError, packageError } from './package-errors';
import type { PackageWarning } from './package-warnings';
import { checkQuestionBank } from './question-bank-check';
import { type WorksheetYaml, worksheetSchema } from './worksheet.schemas';
import { completionRuleErrors, refsOf, type WorksheetRef } from './worksheet-refs';

export { checkWorksheetRefs, type WorksheetOffer, type WorksheetRef, worksheetOffer } from './worksheet-refs';

export type { PackageError } from './package-errors';
export type { PackageWarning } from './package-warnings';

/** A module package as files: path inside the package (forward slashes) → bytes. */
export type PackageFiles = Map<string, Buffer>;

export type ParsedLesson = { id: string; title: Localized; body: Localized; words: Record<Lang, number> };
export type ParsedMedia = { name: string; contentType: string; bytes: Buffer };
export type ParsedModule = {
  id: string;
  order: number;
  estimatedMinutes: number;
  title: Localized;
  summary: Localized;
  lessons: ParsedLesson[];
  quiz: QuizYaml;
  media: ParsedMedia[];
  /** sha-256 of every file: equal hashes mean equal content */
  contentHash: string;
  /** the module's worksheet (worksheet.yaml), when it has one */
  worksheet?: WorksheetYaml;
  /** module.yaml's `completion`: `worksheet: required` makes a finished worksheet part of completing the module */
  completion?: ModuleCompletionRule;
  /** module.yaml, quiz.yaml (and worksheet.yaml) as written, so an export gives back the same files (and the same hash) */
  sources: { moduleYaml: string; quizYaml: string; worksheetYaml?: string };
  /** where worksheet.yaml prefills from another module: checked against the other modules by checkWorksheetRefs */
  worksheetRefs: WorksheetRef[];
  /** what the author should look at: changes made on import, patterns in the question bank */
  warnings: PackageWarning[];
};

export type LoadResult = { ok: true; module: ParsedModule } | { ok: false; errors: PackageError[] };

/** Parses YAML and validates it; errors carry the line of the offending field. */
function parseYaml<T>(file: string, source: string, schema: z.ZodType<T>, errors: PackageError[]): T | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const message = `is not valid YAML: ${e.message.split('\n')[0]}`;
      errors.push(packageError(file, 'yamlSyntax', message, { yamlCode: e.code }, { line: e.linePos?.[0].line }));
    }
    return undefined;
  }
  const result = schema.safeParse(doc.toJS(), { reportInput: true });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    // Point at the deepest node that exists: a missing field is reported at its parent's line.
    let line: number | undefined;
    for (let n = issue.path.length; n >= 0 && line === undefined; n--) {
      const node = doc.getIn(issue.path.slice(0, n) as (string | number)[], true) as Node | undefined;
      if (node?.range) line = lineCounter.linePos(node.range[0]).line;
    }
    const { code, params } = codeOfIssue(issue);
    errors.push(packageError(file, code, issue.message, params, { line, field: fieldPath(issue.path) || undefined }));
  }
  return undefined;
}

/**
 * The lessons module.yaml lists when another of its fields is wrong, so the lesson files are still
 * checked and the author sees every problem at once.
 */
function lessonsListed(source: string | null | undefined): { id: string; title: Localized }[] | undefined {
  if (typeof source !== 'string') return undefined;
  const doc = parseDocument(source);
  if (doc.errors.length > 0) return undefined;
  const raw = (doc.toJS() as { lessons?: unknown } | null)?.lessons;
  if (!Array.isArray(raw)) return undefined;
  return raw
    .filter((l): l is { id: string; title: Localized } => typeof l?.id === 'string' && stableId.safeParse(l.id).success)
    .map((l) => ({ id: l.id, title: l.title }));
}

function hashFiles(files: PackageFiles): string {
  const hash = crypto.createHash('sha256');
  for (const name of [...files.keys()].sort()) {
    hash.update(name).update('\0').update(files.get(name)!).update('\0');
  }
  return hash.digest('hex');
}

/** Validates a whole module package and returns it parsed, or every problem found. */
export function loadModulePackage(files: PackageFiles): LoadResult {
  const errors: PackageError[] = [];
  // Text files must be UTF-8 text: other bytes would not survive being stored as text and exported
  // again. null = present but refused (already reported).
  const text = (name: string): string | null | undefined => {
    const bytes = files.get(name);
    if (bytes === undefined) return undefined;
    if (!isUtf8(bytes) || bytes.includes(0)) {
      errors.push(packageError(name, 'notUtf8', 'is not UTF-8 text'));
      return null;
    }
    return bytes.toString('utf8');
  };

  const moduleSource = text('module.yaml');
  const quizSource = text('quiz.yaml');
  if (moduleSource === undefined) errors.push(packageError('module.yaml', 'fileMissing', 'is missing'));
  if (quizSource === undefined) errors.push(packageError('quiz.yaml', 'fileMissing', 'is missing'));
  const meta = typeof moduleSource === 'string' ? parseYaml('module.yaml', moduleSource, moduleSchema, errors) : undefined;
  const quiz = typeof quizSource === 'string' ? parseYaml('quiz.yaml', quizSource, quizSchema, errors) : undefined;
  const worksheetSource = text('worksheet.yaml');
  const worksheet =
    typeof worksheetSource === 'string' ? parseYaml('worksheet.yaml', worksheetSource, worksheetSchema, errors) : undefined;
  const worksheetRefs = worksheet && typeof worksheetSource === 'string' ? refsOf(worksheet, worksheetSource) : [];
  errors.push(...completionRuleErrors(meta, moduleSource, worksheetSource !== undefined));
  if (meta) {
    for (const ref of worksheetRefs.filter((r) => r.from.split('.')[0] === meta.id)) {
      const message = `prefills from "${ref.from}", its own module: "from" names an earlier module's field`;
      errors.push(packageError('worksheet.yaml', 'unknownFrom', message, { from: ref.from }, { line: ref.line, field: ref.field }));
    }
  }

  const listed = meta?.lessons ?? lessonsListed(moduleSource);
  const lessonIds = new Set(listed?.map((l) => l.id) ?? []);
  const mediaNames = new Set<string>();
  const media: ParsedMedia[] = [];

  for (const [name, bytes] of files) {
    if (name === 'module.yaml' || name === 'quiz.yaml' || name === 'worksheet.yaml') continue;
    const lessonFile = /^lessons\/([^/]+)\.([a-z]{2})\.md$/.exec(name);
    if (lessonFile) {
      const [, id, lng] = lessonFile as unknown as [string, string, string];
      if (!(LANGS as readonly string[]).includes(lng)) {
        errors.push(packageError(name, 'unknownLanguage', `has unknown language "${lng}" (use en, es or fr)`, { lng }));
      } else if (listed && !lessonIds.has(id)) {
        errors.push(packageError(name, 'lessonNotListed', `is a lesson file for "${id}", which module.yaml does not list`, { lessonId: id }));
      }
      continue;
    }
    const mediaFile = /^media\/([A-Za-z0-9][A-Za-z0-9._-]{0,99})$/.exec(name);
    if (mediaFile?.[1]) {
      const sniffed = sniffMedia(mediaFile[1], bytes);
      if ('error' in sniffed) errors.push(packageError(name, sniffed.code, sniffed.error, sniffed.params));
      else {
        mediaNames.add(mediaFile[1]);
        media.push({ name: mediaFile[1], contentType: sniffed.type, bytes });
      }
      continue;
    }
    if (name.startsWith('media/')) errors.push(packageError(name, 'mediaBadName', 'has a name that is not allowed (letters, digits, . _ - only)'));
    else errors.push(packageError(name, 'unexpectedFile', 'is not part of the module format (module.yaml, quiz.yaml, worksheet.yaml, lessons/, media/)'));
  }

  const lessons: ParsedLesson[] = [];
  const warnings: PackageWarning[] = [];
  // Lessons are stored (and hashed, so an export hashes the same) as they are after heading changes.
  const stored: PackageFiles = new Map(files);
  for (const lesson of listed ?? []) {
    const body = {} as Localized;
    const words = {} as Record<Lang, number>;
    for (const lng of LANGS) {
      const file = `lessons/${lesson.id}.${lng}.md`;
      const source = text(file);
      if (source === undefined) {
        const message = `is missing: lesson "${lesson.id}" needs a text in ${lng}`;
        errors.push(packageError(file, 'lessonFileMissing', message, { lessonId: lesson.id, lng }));
        continue;
      }
      if (source === null) continue;
      if (!source.trim()) errors.push(packageError(file, 'fileEmpty', 'is empty'));
      const title = typeof lesson.title?.[lng] === 'string' ? lesson.title[lng] : '';
      const { source: normalized, changes } = normalizeLessonHeadings(source, title);
      if (changes.titleDroppedAt !== undefined) {
        const message = 'starts with a level-1 heading that repeats the lesson title; it was dropped (the page shows the title)';
        warnings.push({ file, line: changes.titleDroppedAt, code: 'titleHeadingDropped', message });
      }
      if (changes.shifted > 0) {
        const message = `uses ${changes.shifted} level-1 heading(s) (#); every heading was moved one level down so the page keeps one h1`;
        warnings.push({ file, line: changes.firstShiftedAt, code: 'headingsShifted', params: { count: changes.shifted }, message });
      }
      if (normalized !== source) stored.set(file, Buffer.from(normalized, 'utf8'));
      const facts = analyzeMarkdown(normalized);
      for (const p of facts.problems) errors.push(packageError(file, p.code, p.message, p.params, { line: p.line }));
      for (const link of facts.lessonLinks) {
        if (lessonIds.has(link.id)) continue;
        const message = `links to lesson "${link.id}", which this module does not have`;
        errors.push(packageError(file, 'lessonLinkUnknown', message, { lessonId: link.id }, { line: link.line }));
      }
      for (const ref of facts.mediaRefs) {
        if (mediaNames.has(ref.file)) continue;
        const message = `refers to media/${ref.file}, which the package does not contain`;
        errors.push(packageError(file, 'mediaRefMissing', message, { file: `media/${ref.file}` }, { line: ref.line }));
      }
      body[lng] = normalized;
      words[lng] = facts.words;
    }
    lessons.push({ id: lesson.id, title: lesson.title, body, words });
  }

  if (errors.length > 0 || !meta || !quiz || typeof moduleSource !== 'string' || typeof quizSource !== 'string') return { ok: false, errors };
  return {
    ok: true,
    module: {
      id: meta.id,
      order: meta.order,
      estimatedMinutes: meta.estimatedMinutes,
      title: meta.title,
      summary: meta.summary,
      lessons,
      quiz,
      media,
      contentHash: hashFiles(stored),
      ...(worksheet ? { worksheet } : {}),
      ...(meta.completion ? { completion: meta.completion } : {}),
      sources: { moduleYaml: moduleSource, quizYaml: quizSource, ...(typeof worksheetSource === 'string' ? { worksheetYaml: worksheetSource } : {}) },
      worksheetRefs,
      warnings: [...warnings, ...checkQuestionBank(quiz)],
    },
  };
}

/** Reads a module folder into package files (the same shape an uploaded zip becomes). */
export function readPackageFolder(dir: string): PackageFiles {
  const files: PackageFiles = new Map();
  const visit = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) visit(relPath);
      else if (entry.isFile()) files.set(relPath, fs.readFileSync(path.join(dir, relPath)));
    }
  };
  visit('');
  return files;
}

export function formatPackageError(e: PackageError | PackageWarning): string {
  return `${e.file}${e.line ? `:${e.line}` : ''}${e.field ? ` (${e.field})` : ''}: ${e.message}`;
}
