import { writePackageZip } from '../../src/features/admin-content';
import type { PackageFiles } from '../../src/features/content';

/** A real zip of package files, written by the same writer as the admin export. */
export function zipOf(files: PackageFiles): Promise<Buffer> {
  return writePackageZip(files, new Date('2024-05-01T12:00:00Z'));
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;

/** Every header (local and central) of the entry `name`: where it starts and where its name starts. */
function headersOf(zip: Buffer, name: string): { at: number; kind: 'local' | 'central' }[] {
  const wanted = Buffer.from(name, 'utf8');
  const found: { at: number; kind: 'local' | 'central' }[] = [];
  for (let i = 0; i + 4 <= zip.length; i++) {
    const sig = zip.readUInt32LE(i);
    if (sig !== LOCAL && sig !== CENTRAL) continue;
    const kind = sig === LOCAL ? 'local' : 'central';
    const nameAt = i + (kind === 'local' ? 30 : 46);
    const length = zip.readUInt16LE(i + (kind === 'local' ? 26 : 28));
    if (length === wanted.length && zip.subarray(nameAt, nameAt + length).equals(wanted)) found.push({ at: i, kind });
  }
  if (found.length === 0) throw new Error(`no entry ${name} in the zip`);
  return found;
}

/**
 * Renames an entry in place (same byte length), for names no honest zip writer produces, such as
 * `../evil.txt`: zip writers refuse them, attackers write them by hand.
 */
export function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  if (Buffer.byteLength(from) !== Buffer.byteLength(to)) throw new Error('renameEntry needs names of the same length');
  const out = Buffer.from(zip);
  for (const h of headersOf(out, from)) out.write(to, h.at + (h.kind === 'local' ? 30 : 46), 'utf8');
  return out;
}

/** Makes an entry lie about its unpacked size, in its local and central headers. */
export function declareSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  for (const h of headersOf(out, name)) out.writeUInt32LE(size, h.at + (h.kind === 'local' ? 22 : 24));
  return out;
}
