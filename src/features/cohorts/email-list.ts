import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';

/** A row that holds no usable address, reported back with its line so the trainer can fix it. */
export type MalformedRow = { line: number; text: string; reason: 'noEmail' | 'invalidEmail' | 'unreadable' };

export type EmailList =
  | { ok: true; entries: { line: number; email: string }[]; malformed: MalformedRow[]; duplicates: number }
  | { ok: false; reason: 'tooMany' };

export const MAX_ADDRESSES = 5000;

const HEADER = /^(e-?mail|e-?mail address|mail|courriel|adresse (e-?mail|électronique|electronique)|correo( electr[oó]nico)?)$/i;
const email = z.email();
const OPTIONS = { delimiter: [',', ';', '\t'], relax_column_count: true, relax_quotes: true, trim: true };

/** Where the addresses of a line are: "Ana Pérez <ana@example.org>", bare words with an "@", "mailto:…". */
const ADDRESS = /<([^<>]*)>|([^\s,;"'<>]*@[^\s,;"'<>]*)/g;

function addressesIn(line: string): string[] {
  const found: string[] = [];
  for (const m of line.matchAll(ADDRESS)) {
    const text = m[1] ?? m[2] ?? '';
    if (text.includes('@')) found.push(text);
  }
  return found;
}

const normalize = (cell: string) => cell.replace(/^mailto:/i, '').trim().toLowerCase();

/** One line's cells, or undefined when the line is not valid CSV (a stray quote, say). */
function cellsOf(line: string): string[] | undefined {
  try {
    return (parse(line, OPTIONS) as string[][])[0] ?? [];
  } catch (err) {
    if (err instanceof CsvError) return undefined;
    throw err;
  }
}

/**
 * Reads a pasted list or an uploaded CSV of e-mail addresses: one per line, rows saved by a
 * spreadsheet (comma, semicolon or tab separated, as in English, Spanish and French), or a list
 * copied from an e-mail's "To" field. With a header row naming an e-mail column, that column is
 * read; without one, every address on a line counts. Each line is read on its own, so one broken
 * line is reported and the others still count. Blank lines are skipped; every other line without a
 * valid address is reported, never dropped in silence.
 */
export function parseEmailList(text: string): EmailList {
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/);
  const entries: { line: number; email: string }[] = [];
  const malformed: MalformedRow[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  let column: number | undefined;
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    const text = raw.trim();
    if (text === '') continue;
    if (column === undefined) {
      const first = cellsOf(text) ?? [];
      column = first.some((c) => c.includes('@')) ? -1 : first.findIndex((c) => HEADER.test(c));
      if (column >= 0) continue;
    }
    let cells: string[];
    if (column >= 0) {
      const record = cellsOf(text);
      if (!record) {
        malformed.push({ line, text, reason: 'unreadable' });
        continue;
      }
      if (record.every((c) => c === '')) continue;
      cells = [record[column] ?? ''].filter((c) => c !== '');
    } else {
      cells = addressesIn(text);
    }
    if (cells.length === 0) {
      malformed.push({ line, text, reason: 'noEmail' });
      continue;
    }
    for (const cell of cells) {
      const address = normalize(cell);
      if (address.length > 254 || !email.safeParse(address).success) {
        malformed.push({ line, text: cell, reason: 'invalidEmail' });
      } else if (seen.has(address)) {
        duplicates++;
      } else {
        seen.add(address);
        entries.push({ line, email: address });
      }
    }
    if (entries.length + malformed.length > MAX_ADDRESSES) return { ok: false, reason: 'tooMany' };
  }
  return { ok: true, entries, malformed, duplicates };
}
