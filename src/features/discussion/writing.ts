import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/*
 * What members write is Markdown with raw HTML off (markdown-it `html: false` prints tags as text),
 * and what markdown-it makes is sanitized again with an allow-list: a bug in either one alone does
 * not let a script or a `javascript:` link through. Links are marked as user content.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });
md.disable(['image', 'heading', 'lheading', 'table']);

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'hr', 's'],
  allowedAttributes: { a: ['href', 'rel'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...(attribs.href ? { href: attribs.href } : {}), rel: 'nofollow ugc noopener' } }),
  },
};

/** Members' Markdown as safe HTML. */
export function renderPost(markdown: string): string {
  return sanitizeHtml(md.render(markdown), SANITIZE);
}

/** The http(s) link of a shared practice, or undefined when it is anything else (`javascript:`, `data:`…). */
export function safeLink(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The people a text mentions. A mention is `@` followed by a member's name as the platform shows it
 * ("@Ana Pérez"), in any case, not followed by another letter or digit; names are tried longest
 * first, so "@Ana Pérez" is not also "@Ana".
 */
export function mentionedIn<P extends { id: string; name: string }>(text: string, people: readonly P[]): P[] {
  const lower = text.toLocaleLowerCase();
  const found: P[] = [];
  let rest = lower;
  for (const p of [...people].sort((a, b) => b.name.length - a.name.length)) {
    const needle = `@${p.name.toLocaleLowerCase()}`;
    let at = rest.indexOf(needle);
    while (at >= 0) {
      const after = rest.charAt(at + needle.length);
      if (!/[\p{L}\p{N}]/u.test(after)) {
        found.push(p);
        rest = rest.slice(0, at) + ' '.repeat(needle.length) + rest.slice(at + needle.length);
        break;
      }
      at = rest.indexOf(needle, at + 1);
    }
  }
  return found;
}
