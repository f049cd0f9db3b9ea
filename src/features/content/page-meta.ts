import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { localesDir, viewsDir } from '../../platform/paths';

const md = new MarkdownIt({ html: false });
const DESCRIPTION_LENGTH = 160;

/** A search-result description: the lesson's first paragraph as plain text, cut at a word near 160 characters. */
export function plainDescription(markdown: string): string {
  const tokens = md.parse(markdown, {});
  const paragraphs = tokens
    .filter((t, i) => t.type === 'inline' && tokens[i - 1]?.type === 'paragraph_open')
    .map((t) =>
      (t.children ?? [])
        .filter((c) => c.type === 'text' || c.type === 'code_inline' || c.type === 'softbreak')
        .map((c) => (c.type === 'softbreak' ? ' ' : c.content))
        .join('')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  // the first real paragraph: lessons open with a short lead-in such as "By the end of this lesson…:"
  const text = paragraphs.find((p) => p.length >= 80 && !p.endsWith(':')) ?? paragraphs[0] ?? '';
  if (text.length <= DESCRIPTION_LENGTH) return text;
  const cut = text.slice(0, DESCRIPTION_LENGTH);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 100)).replace(/[\s,;:.]+$/, '')}…`;
}

type Fingerprint = { hash: string; newest: Date };
let fingerprint: Fingerprint | undefined;

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/**
 * What a published lesson page is made of besides its content: the templates and the UI strings.
 * Read once per process, so a deploy that changes a template or a translation changes every validator.
 */
function renderFingerprint(): Fingerprint {
  if (fingerprint) return fingerprint;
  const hash = crypto.createHash('sha256');
  let newest = 0;
  for (const file of [...filesUnder(viewsDir), ...filesUnder(localesDir)]) {
    hash.update(path.relative(viewsDir, file)).update(fs.readFileSync(file));
    newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  fingerprint = { hash: hash.digest('hex').slice(0, 16), newest: new Date(newest) };
  return fingerprint;
}

/**
 * The validators of a page that depends only on published content, its language and the templates:
 * the same on every instance, known before anything is rendered, so a repeat visit costs a 304.
 */
export function publishedPageValidators(parts: { key: string; version: number; lng: string; publishedAt: Date }) {
  const f = renderFingerprint();
  const tag = crypto.createHash('sha256').update(`${parts.key}@${parts.version}/${parts.lng}/${f.hash}`).digest('base64url').slice(0, 27);
  const modified = Math.max(parts.publishedAt.getTime(), f.newest.getTime());
  // HTTP dates have whole seconds: round down, or If-Modified-Since would never match
  return { etag: `W/"${tag}"`, lastModified: new Date(Math.floor(modified / 1000) * 1000).toUTCString() };
}
