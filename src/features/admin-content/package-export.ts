import { stringify } from 'yaml';
import { type ContentService, LANGS, type ModuleVersionDoc, type PackageFiles } from '../content';

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A stored version as package files again. module.yaml and quiz.yaml are the files as uploaded, so
 * the export hashes to the same content; versions stored before sources were kept get equivalent
 * YAML written from the stored fields (the same content, not the same bytes).
 */
export async function versionFiles(content: ContentService, v: ModuleVersionDoc): Promise<PackageFiles> {
  const files: PackageFiles = new Map();
  const moduleYaml =
    v.sources?.moduleYaml ??
    stringify({
      id: v.moduleId,
      order: v.order,
      estimatedMinutes: v.estimatedMinutes,
      title: v.title,
      summary: v.summary,
      lessons: v.lessons.map((l) => ({ id: l.id, title: l.title })),
      ...(v.completion ? { completion: v.completion } : {}),
    });
  files.set('module.yaml', Buffer.from(moduleYaml, 'utf8'));
  files.set('quiz.yaml', Buffer.from(v.sources?.quizYaml ?? stringify(v.quiz), 'utf8'));
  if (v.worksheet) files.set('worksheet.yaml', Buffer.from(v.sources?.worksheetYaml ?? stringify(v.worksheet), 'utf8'));
  for (const lesson of v.lessons) {
    for (const lng of LANGS) files.set(`lessons/${lesson.id}.${lng}.md`, Buffer.from(lesson.body[lng], 'utf8'));
  }
  for (const m of v.media) {
    const file = await content.openVersionMedia(v.moduleId, v.version, m.name);
    if (!file) throw new Error(`media ${m.name} of ${v.moduleId} v${v.version} is not in GridFS`);
    files.set(`media/${m.name}`, await readAll(file.stream));
  }
  return files;
}
