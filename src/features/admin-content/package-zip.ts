import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import yazl from 'yazl';
import type { PackageFiles } from '../content';
import { type UploadErrorCode, type UploadProblem, uploadProblem } from './upload-problems';

const MB = 1024 * 1024;

/** How much an uploaded package may hold. Checked on the zip's own directory before inflating anything. */
export type ZipLimits = { maxPackageBytes: number; maxEntries: number; maxEntryBytes: number; maxTotalBytes: number };

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxPackageBytes: 25 * MB,
  maxEntries: 500,
  // the largest media file the format allows (content/media-types.ts); lesson texts are far smaller
  maxEntryBytes: 5 * MB,
  maxTotalBytes: 50 * MB,
};

const LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

export type ZipResult = { ok: true; files: PackageFiles } | { ok: false; errors: UploadProblem[] };

/** Absolute paths, drive letters and `..` segments could write outside a folder (zip slip): never accepted. */
function isUnsafePath(name: string): boolean {
  if (name === '' || name.includes('\0')) return true;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return true;
  return name.split('/').includes('..');
}

/** Files zip tools add on their own (macOS resource forks, .DS_Store): skipped like readPackageFolder skips them. */
function isToolLitter(name: string): boolean {
  return name.startsWith('__MACOSX/') || name.split('/').some((segment) => segment.startsWith('.'));
}

/** A package zipped as its folder (`01-intro/module.yaml`) reads the same as one zipped from inside it. */
function withoutTopFolder(names: string[]): (name: string) => string {
  if (names.includes('module.yaml')) return (name) => name;
  const top = names[0]?.split('/')[0];
  if (!top || !names.every((n) => n.startsWith(`${top}/`)) || !names.includes(`${top}/module.yaml`)) return (name) => name;
  return (name) => name.slice(top.length + 1);
}

/** An entry that inflates to another size than it declared, or past a limit. */
class TooLarge extends Error {}

/** Inflates one entry, stopping as soon as it passes `limit` bytes, whatever its header declared. */
async function inflate(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<Buffer> {
  const stream: Readable = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      throw new TooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

type Listed = { entry: yauzl.Entry; name: string };

/** Reads the central directory and checks every entry's path, kind and declared size, all at once. */
async function listEntries(zip: yauzl.ZipFile, limits: ZipLimits, uploadName: string): Promise<{ listed: Listed[]; errors: UploadProblem[] }> {
  const errors: UploadProblem[] = [];
  const listed: Listed[] = [];
  const seen = new Set<string>();
  let declaredTotal = 0;
  for await (const entry of zip.eachEntry()) {
    const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
    declaredTotal += entry.uncompressedSize;
    if (isUnsafePath(name)) {
      errors.push(uploadProblem(name, 'zipUnsafePath', 'has a path that leaves the package (absolute or with ..)'));
      continue;
    }
    if (name.endsWith('/') || isToolLitter(name)) continue;
    if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) {
      errors.push(uploadProblem(name, 'zipSymlink', 'is a symbolic link'));
    } else if (entry.isEncrypted()) {
      errors.push(uploadProblem(name, 'zipEncrypted', 'is encrypted'));
    } else if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      errors.push(uploadProblem(name, 'zipUnsupportedCompression', 'uses a compression method other than deflate'));
    } else if (entry.uncompressedSize > limits.maxEntryBytes) {
      errors.push(uploadProblem(name, 'zipEntryTooLarge', 'is too large', { mb: limits.maxEntryBytes / MB }));
    } else if (seen.has(name)) {
      errors.push(uploadProblem(name, 'zipDuplicateEntry', 'appears twice in the zip'));
    }
    seen.add(name);
    listed.push({ entry, name });
  }
  if (declaredTotal > limits.maxTotalBytes) {
    errors.push(uploadProblem(uploadName, 'zipTooLarge', 'unpacks to more than the limit', { mb: limits.maxTotalBytes / MB }));
  }
  return { listed, errors };
}

/**
 * Unpacks an uploaded package into memory, refusing what could hurt us: not a zip (checked by its
 * bytes, not its name), too many entries, declared sizes past the limits, unsafe paths, links and
 * encrypted entries — all before inflating a byte; then inflating stops at the first byte past a
 * limit, so a zip that lies about its sizes (a zip bomb) costs at most the limit. Nothing is written
 * to disk.
 */
export async function readPackageZip(bytes: Buffer, uploadName: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipResult> {
  const fail = (code: UploadErrorCode, message: string, params?: UploadProblem['params']): ZipResult => ({
    ok: false,
    errors: [uploadProblem(uploadName, code, message, params)],
  });
  if (bytes.subarray(0, 4).equals(EMPTY_ZIP)) return fail('zipEmpty', 'is an empty zip file');
  if (!bytes.subarray(0, 4).equals(LOCAL_HEADER)) return fail('notZip', 'is not a zip file (checked by content)');
  let zip: yauzl.ZipFile;
  try {
    // Sizes are checked by inflate() against the declared ones, so yauzl's own check is not needed.
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, decodeStrings: false, validateEntrySizes: false });
  } catch {
    return fail('zipUnreadable', 'is damaged or not a zip file');
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      return fail('zipTooManyEntries', 'has too many files', { count: zip.entryCount, max: limits.maxEntries });
    }
    const { listed, errors } = await listEntries(zip, limits, uploadName);
    if (errors.length > 0) return { ok: false, errors };
    const rename = withoutTopFolder(listed.map((l) => l.name));
    const files: PackageFiles = new Map();
    let budget = limits.maxTotalBytes;
    for (const { entry, name } of listed) {
      try {
        const data = await inflate(zip, entry, Math.min(limits.maxEntryBytes, budget, entry.uncompressedSize));
        if (data.length !== entry.uncompressedSize) throw new TooLarge();
        budget -= data.length;
        files.set(rename(name), data);
      } catch (err) {
        if (err instanceof TooLarge) {
          errors.push(uploadProblem(name, 'zipSizeMismatch', 'unpacks to more than its declared size or the limit'));
        } else {
          errors.push(uploadProblem(name, 'zipUnreadable', 'is damaged'));
        }
        break;
      }
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, files };
  } catch {
    return fail('zipUnreadable', 'is damaged or not a zip file');
  } finally {
    zip.close();
  }
}

/**
 * Writes package files as a zip: entries sorted, one fixed date and mode, so the same version always
 * exports to the same bytes. Tests build their packages with it too.
 */
export async function writePackageZip(files: PackageFiles, mtime: Date): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const name of [...files.keys()].sort()) zip.addBuffer(files.get(name)!, name, { mtime, mode: 0o100644, compress: true });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
