export type { PageExtras } from './content.controller';
export { contentRouter } from './content.routes';
export { type ContentService, createContentService, InvalidContentError, type PublishedModule } from './content.service';
export { contentModels, type MediaDoc, type ModuleReleaseDoc, type ModuleVersionDoc } from './content.models';
export { LANGS, type Lang, type Localized, type Question, type QuizYaml } from './content.schemas';
export { formatPackageError, loadModulePackage, type PackageError, type PackageFiles, type ParsedModule, readPackageFolder } from './package-loader';
export { PACKAGE_ERROR_CODES, type PackageErrorCode, type PackageErrorParams } from './package-errors';
export { type LessonLinks, renderMarkdown } from './markdown';
