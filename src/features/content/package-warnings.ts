/**
 * What an author should look at but that does not break a page: the package is accepted and these are
 * shown with the upload result and on the version page. `message` is English for the command line;
 * pages translate `code` with `params` (locales/<lng>/admin-content.json, `warnings.*`).
 */
export const PACKAGE_WARNING_CODES = [
  // lesson Markdown written the common way, changed on import
  'titleHeadingDropped', 'headingsShifted',
  // the question bank
  'rightOptionLongest', 'promptRepeated', 'optionRepeated', 'trueFalseAllFalse',
] as const;
export type PackageWarningCode = (typeof PACKAGE_WARNING_CODES)[number];

export type PackageWarning = {
  file: string;
  line?: number;
  field?: string;
  code: PackageWarningCode;
  message: string;
  params?: Record<string, string | number>;
};
