import type { PackageError, PackageErrorCode, PackageErrorParams } from '../content';

/** What can be wrong with an upload before its files are even read as a module package. */
export const UPLOAD_ERROR_CODES = [
  'uploadMissing', 'uploadTooLarge', 'uploadRefused',
  'notZip', 'zipEmpty', 'zipUnreadable', 'zipTooManyEntries', 'zipTooLarge', 'zipEntryTooLarge',
  'zipUnsafePath', 'zipDuplicateEntry', 'zipEncrypted', 'zipSymlink', 'zipUnsupportedCompression', 'zipSizeMismatch',
] as const;
export type UploadErrorCode = (typeof UPLOAD_ERROR_CODES)[number];

/** A problem with an upload or the package in it, always with a code the page translates. */
export type UploadProblem = Omit<PackageError, 'code'> & { code: PackageErrorCode | UploadErrorCode };

export function uploadProblem(file: string, code: UploadErrorCode, message: string, params?: PackageErrorParams): UploadProblem {
  return params ? { file, code, message, params } : { file, code, message };
}

/** A validator error as an upload problem; one without a code (none should have) reads as "invalid". */
export function fromPackageError(e: PackageError): UploadProblem {
  return { ...e, code: e.code ?? 'invalid' };
}
