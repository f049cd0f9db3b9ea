import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Lang, LANGS, type Localized, moduleSchema, type QuizYaml, quizSchema } from './content.schemas';
import { analyzeMarkdown } from './markdown';
import { sniffMedia } from './media-types';

/** A module package as files: path inside the package (forward slashes) → bytes. */
export type PackageFiles = Map<string, Buffer>;

/** One precise problem: which file, where in it, and what is wrong. */
export type PackageError = { file: string; line?: number; field?: string; message: string };

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
};

export type LoadResult = { ok: true; module: ParsedModule } | { ok: false; errors: PackageError[] };

function fieldPath(p: PropertyKey[]): string {
  return p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

/** Parses YAML and validates it; errors carry the line of the offending field. */
function parseYaml<T>(file: string, source: string, schema: z.ZodType<T>, errors: PackageError[]): T | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      errors.push({ file, line: e.linePos?.[0].line, message: `is not valid YAML: ${e.message.split('\n')[0]}` });
    }
    return undefined;
  }
  const result = schema.safeParse(doc.toJS());
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    // Point at the deepest node that exists: a missing field is reported at its parent's line.
    let line: number | undefined;
    for (let n = issue.path.length; n >= 0 && line === undefined; n--) {
      const node = doc.getIn(issue.path.slice(0, n) as (string | number)[], true) as Node | undefined;
      if (node?.range) line = lineCounter.linePos(node.range[0]).line;
    }
    errors.push({ file, line, field: fieldPath(issue.path) || undefined, message: issue.message });
  }
  return undefined;
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
  const text = (name: string) => files.get(name)?.toString('utf8');

  const moduleSource = text('module.yaml');
  const quizSource = text('quiz.yaml');
  if (moduleSource === undefined) errors.push({ file: 'module.yaml', message: 'is missing' });
  if (quizSource === undefined) errors.push({ file: 'quiz.yaml', message: 'is missing' });
  const meta = moduleSource === undefined ? undefined : parseYaml('module.yaml', moduleSource, moduleSchema, errors);
  const quiz = quizSource === undefined ? undefined : parseYaml('quiz.yaml', quizSource, quizSchema, errors);

  const lessonIds = new Set(meta?.lessons.map((l) => l.id) ?? []);
  const mediaNames = new Set<string>();
  const media: ParsedMedia[] = [];

  for (const [name, bytes] of files) {
    if (name === 'module.yaml' || name === 'quiz.yaml') continue;
    const lessonFile = /^lessons\/([^/]+)\.([a-z]{2})\.md$/.exec(name);
    if (lessonFile) {
      const [, id, lng] = lessonFile as unknown as [string, string, string];
      if (!(LANGS as readonly string[]).includes(lng)) errors.push({ file: name, message: `has unknown language "${lng}" (use en, es or fr)` });
      else if (meta && !lessonIds.has(id)) errors.push({ file: name, message: `is a lesson file for "${id}", which module.yaml does not list` });
      continue;
    }
    const mediaFile = /^media\/([A-Za-z0-9][A-Za-z0-9._-]{0,99})$/.exec(name);
    if (mediaFile?.[1]) {
      const sniffed = sniffMedia(mediaFile[1], bytes);
      if ('error' in sniffed) errors.push({ file: name, message: sniffed.error });
      else {
        mediaNames.add(mediaFile[1]);
        media.push({ name: mediaFile[1], contentType: sniffed.type, bytes });
      }
      continue;
    }
    if (name.startsWith('media/')) errors.push({ file: name, message: 'has a name that is not allowed (letters, digits, . _ - only)' });
    else errors.push({ file: name, message: 'is not part of the module format (module.yaml, quiz.yaml, lessons/, media/)' });
  }

  const lessons: ParsedLesson[] = [];
  for (const lesson of meta?.lessons ?? []) {
    const body = {} as Localized;
    const words = {} as Record<Lang, number>;
    for (const lng of LANGS) {
      const file = `lessons/${lesson.id}.${lng}.md`;
      const source = text(file);
      if (source === undefined) {
        errors.push({ file, message: `is missing: lesson "${lesson.id}" needs a text in ${lng}` });
        continue;
      }
      if (!source.trim()) errors.push({ file, message: 'is empty' });
      const facts = analyzeMarkdown(source);
      for (const p of facts.problems) errors.push({ file, line: p.line, message: p.message });
      for (const link of facts.lessonLinks) {
        if (!lessonIds.has(link.id)) errors.push({ file, line: link.line, message: `links to lesson "${link.id}", which this module does not have` });
      }
      for (const ref of facts.mediaRefs) {
        if (!mediaNames.has(ref.file)) errors.push({ file, line: ref.line, message: `refers to media/${ref.file}, which the package does not contain` });
      }
      body[lng] = source;
      words[lng] = facts.words;
    }
    lessons.push({ id: lesson.id, title: lesson.title, body, words });
  }

  if (errors.length > 0 || !meta || !quiz) return { ok: false, errors };
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
      contentHash: hashFiles(files),
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

export function formatPackageError(e: PackageError): string {
  return `${e.file}${e.line ? `:${e.line}` : ''}${e.field ? ` (${e.field})` : ''}: ${e.message}`;
}
