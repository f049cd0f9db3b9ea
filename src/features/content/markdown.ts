import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

// Raw HTML is off: authors write Markdown, and whatever HTML appears is shown as text.
const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

export type MarkdownProblem = {
  line: number;
  message: string;
  code: 'headingLevel1' | 'imageNoAlt' | 'imageNotMedia' | 'linkNotAllowed';
  params?: Record<string, string>;
};

export type MarkdownFacts = {
  words: number;
  lessonLinks: { id: string; line: number }[];
  mediaRefs: { file: string; line: number }[];
  problems: MarkdownProblem[];
};

function walk(tokens: Token[], visit: (t: Token, line: number) => void, line = 0) {
  for (const t of tokens) {
    const here = t.map ? t.map[0] + 1 : line;
    visit(t, here);
    if (t.children) walk(t.children, visit, here);
  }
}

/** What a lesson file refers to and what is wrong with it, with line numbers, for the loader. */
export function analyzeMarkdown(source: string): MarkdownFacts {
  const facts: MarkdownFacts = { words: 0, lessonLinks: [], mediaRefs: [], problems: [] };
  walk(md.parse(source, {}), (t, line) => {
    if (t.type === 'heading_open' && t.tag === 'h1') {
      facts.problems.push({ line, code: 'headingLevel1', message: 'uses a level-1 heading (#); the page title is the lesson title, start at ##' });
    }
    if (t.type === 'text') facts.words += t.content.split(/\s+/).filter((w: string) => /[\p{L}\p{N}]/u.test(w)).length;
    const raw = t.type === 'link_open' ? t.attrGet('href') : t.type === 'image' ? t.attrGet('src') : null;
    const target = raw === null ? null : String(raw);
    if (t.type === 'image' && !t.content.trim()) {
      facts.problems.push({ line, code: 'imageNoAlt', params: { target: target ?? '' }, message: `image ${target} has no alt text` });
    }
    if (!target) return;
    if (target.startsWith('lesson:')) facts.lessonLinks.push({ id: target.slice('lesson:'.length), line });
    else if (target.startsWith('media/')) facts.mediaRefs.push({ file: target.slice('media/'.length), line });
    else if (t.type === 'image') facts.problems.push({ line, code: 'imageNotMedia', params: { target }, message: `image ${target} must be a file in media/` });
    else if (target !== 'worksheet:' && !/^https:\/\//.test(target) && !target.startsWith('#')) {
      facts.problems.push({ line, code: 'linkNotAllowed', params: { target }, message: `link ${target} must be lesson:<id>, media/<file>, worksheet:, #anchor or https://` });
    }
  });
  return facts;
}

const allowed: sanitizeHtml.IOptions = {
  allowedTags: [
    'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'code', 'pre', 'blockquote',
    'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'br', 'div', 's',
  ],
  allowedAttributes: { a: ['href', 'rel'], img: ['src', 'alt'], th: ['style'], td: ['style'], div: ['class', 'tabindex', 'role', 'aria-label'], ol: ['start'] },
  allowedStyles: { '*': { 'text-align': [/^(left|right|center)$/] } },
  allowedSchemes: ['https'],
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowedClasses: { div: ['table-scroll'] },
};

/** Where lesson: and media/ links point; by default the published module's pages. */
export type LessonLinks = { lesson: (lessonId: string) => string; media: (file: string) => string };

/**
 * Renders a lesson to safe HTML: lesson: and media/ links become the module's own URLs (or `links`,
 * e.g. an admin's preview of a draft), tables scroll sideways on a phone (in a focusable region named
 * `tableLabel`, so keyboard users can scroll them too), and sanitize-html removes anything the
 * renderer should never emit.
 */
export function renderMarkdown(source: string, moduleId: string, links?: LessonLinks, tableLabel = 'Table'): string {
  const to: LessonLinks = links ?? {
    lesson: (id) => `/modules/${moduleId}/lessons/${id}`,
    media: (file) => `/modules/${moduleId}/media/${file}`,
  };
  const env = {};
  const tokens = md.parse(source, env);
  walk(tokens, (t) => {
    const attr = t.type === 'link_open' ? 'href' : t.type === 'image' ? 'src' : null;
    if (!attr) return;
    const value = String(t.attrGet(attr) ?? '');
    if (value.startsWith('lesson:')) t.attrSet(attr, to.lesson(value.slice(7)));
    else if (value === 'worksheet:') t.attrSet(attr, `/modules/${moduleId}/worksheet`);
    else if (value.startsWith('media/')) t.attrSet(attr, to.media(value.slice(6)));
    else if (t.type === 'link_open' && value.startsWith('https://')) t.attrSet('rel', 'noopener noreferrer');
  });
  const html = md.renderer
    .render(tokens, md.options, env)
    .replace(/<table>/g, `<div class="table-scroll" tabindex="0" role="region" aria-label="${tableLabel.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)}"><table>`)
    .replace(/<\/table>/g, '</table></div>');
  return sanitizeHtml(html, allowed);
}
