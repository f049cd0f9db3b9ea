import { modelOn } from '../../platform/database/models';
import { type Connection, Schema } from 'mongoose';
import type { Localized } from './content.schemas';
import type { ModuleCompletionRule, QuizYaml } from './content.schemas';
import type { WorksheetYaml } from './worksheet.schemas';
import type { PackageWarning } from './package-warnings';

export type LessonDoc = { id: string; title: Localized; body: Localized; words: Record<string, number> };
/** `sha256` tells which media changed between versions (versions stored before it existed have none). */
export type MediaDoc = { name: string; contentType: string; size: number; sha256?: string; fileId: unknown };

/** One immutable version of a module, as imported from a package. Never updated in place. */
export type ModuleVersionDoc = {
  moduleId: string;
  version: number;
  order: number;
  estimatedMinutes: number;
  title: Localized;
  summary: Localized;
  lessons: LessonDoc[];
  quiz: QuizYaml;
  /** the module's worksheet, when its package has worksheet.yaml */
  worksheet?: WorksheetYaml;
  /** module.yaml's `completion` (versions stored before it existed have none: no worksheet required) */
  completion?: ModuleCompletionRule;
  media: MediaDoc[];
  contentHash: string;
  /** module.yaml and quiz.yaml as uploaded (versions stored before this field existed have none) */
  sources?: { moduleYaml: string; quizYaml: string; worksheetYaml?: string };
  /** the loader's warnings when this version was imported (versions stored before this field have none) */
  warnings?: PackageWarning[];
  source: 'seed' | 'upload';
  createdBy?: string;
  createdAt: Date;
};

/** Which version of a module learners see: switching it is one write (publish, roll back). */
export type ModuleReleaseDoc = { _id: string; publishedVersion: number; publishedAt: Date; publishedBy?: string };

export type GlossaryDoc = { _id: string; terms: { id: string; term: Localized; definition: Localized }[]; contentHash: string; updatedAt: Date };

const moduleVersionSchema = new Schema<ModuleVersionDoc>(
  {
    moduleId: { type: String, required: true },
    version: { type: Number, required: true },
    order: { type: Number, required: true },
    estimatedMinutes: { type: Number, required: true },
    title: { type: Object, required: true },
    summary: { type: Object, required: true },
    lessons: { type: [Object], required: true },
    quiz: { type: Object, required: true },
    worksheet: { type: Object },
    completion: { type: Object },
    media: { type: [Object], default: [] },
    contentHash: { type: String, required: true },
    sources: { type: Object },
    warnings: { type: [Object], default: undefined },
    source: { type: String, enum: ['seed', 'upload'], required: true },
    createdBy: { type: String },
    createdAt: { type: Date, required: true },
  },
  { collection: 'module_versions', versionKey: false, minimize: false },
);
// The unique key decides races between two imports of the same module.
moduleVersionSchema.index({ moduleId: 1, version: 1 }, { unique: true });

const moduleReleaseSchema = new Schema<ModuleReleaseDoc>(
  {
    _id: { type: String, required: true },
    publishedVersion: { type: Number, required: true },
    publishedAt: { type: Date, required: true },
    publishedBy: { type: String },
  },
  { collection: 'module_releases', versionKey: false },
);

const glossarySchema = new Schema<GlossaryDoc>(
  {
    _id: { type: String, required: true },
    terms: { type: [Object], required: true },
    contentHash: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'glossary', versionKey: false },
);

export function contentModels(connection: Connection) {
  return {
    ModuleVersion: modelOn<ModuleVersionDoc>(connection, 'ModuleVersion', moduleVersionSchema),
    ModuleRelease: modelOn<ModuleReleaseDoc>(connection, 'ModuleRelease', moduleReleaseSchema),
    Glossary: modelOn<GlossaryDoc>(connection, 'Glossary', glossarySchema),
  };
}

export type ContentModels = ReturnType<typeof contentModels>;

/** Every content collection's indexes (bootstrap runs this; the connection has autoIndex off). */
export async function createContentIndexes(connection: Connection): Promise<void> {
  for (const model of Object.values(contentModels(connection))) await model.createIndexes();
}
