export { type PageExtras } from './content.controller';
export { contentRouter } from './content.routes';
export { type ContentService, createContentService, InvalidContentError, type PublishedModule } from './content.service';
export { contentModels } from './content.models';
export { LANGS, type Lang, type Localized, type Question, type QuizYaml } from './content.schemas';
export { formatPackageError, loadModulePackage, type PackageError, type PackageFiles, readPackageFolder } from './package-loader';
