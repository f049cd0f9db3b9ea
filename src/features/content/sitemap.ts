import type { Request, Response } from 'express';
import { LANGS } from './content.schemas';
import type { ContentService } from './content.service';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One `<url>` per page and language, each listing its alternates in the other languages (hreflang). */
function urlEntries(baseUrl: string, pagePath: string, lastmod?: Date): string {
  const href = (lng: string) => escapeXml(`${baseUrl}${pagePath}?lng=${lng}`);
  const alternates = [
    ...LANGS.map((lng) => `<xhtml:link rel="alternate" hreflang="${lng}" href="${href(lng)}"/>`),
    `<xhtml:link rel="alternate" hreflang="x-default" href="${escapeXml(baseUrl + pagePath)}"/>`,
  ].join('');
  const modified = lastmod ? `<lastmod>${lastmod.toISOString()}</lastmod>` : '';
  return LANGS.map((lng) => `<url><loc>${href(lng)}</loc>${modified}${alternates}</url>`).join('\n');
}

export function sitemapController(content: ContentService, baseUrl: string) {
  return {
    /** GET /sitemap.xml — the course's public pages in every language, for search engines */
    async sitemap(_req: Request, res: Response) {
      const modules = await content.modules();
      const entries = [urlEntries(baseUrl, '/modules'), urlEntries(baseUrl, '/glossary')];
      for (const m of modules) {
        const publishedAt = await content.publishedAt(m.moduleId);
        entries.push(urlEntries(baseUrl, `/modules/${m.moduleId}`, publishedAt));
        for (const l of m.lessons) entries.push(urlEntries(baseUrl, `/modules/${m.moduleId}/lessons/${l.id}`, publishedAt));
      }
      res.type('application/xml').send(
        `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${entries.join('\n')}\n</urlset>\n`,
      );
    },

    /** GET /robots.txt — where the sitemap is; personal and staff pages are not for crawling */
    robots(_req: Request, res: Response) {
      res
        .type('text/plain')
        .send(['User-agent: *', 'Disallow: /admin/', 'Disallow: /trainer/', 'Disallow: /dashboard', `Sitemap: ${baseUrl}/sitemap.xml`, ''].join('\n'));
    },
  };
}
