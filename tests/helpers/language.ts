/**
 * Finds English sentences in text that should be Spanish or French: a sentence with three or more
 * distinct English function words is English (proper names like "Global Taskforce" are not).
 */
const ENGLISH = new Set([
  'the', 'and', 'of', 'to', 'is', 'with', 'for', 'that', 'this', 'are', 'be', 'which', 'from', 'by', 'it',
  'what', 'how', 'your', 'you', 'their', 'they', 'will', 'can', 'should', 'has', 'have', 'was', 'were', 'its',
  'into', 'our', 'we', 'who', 'about', 'them',
]);

export function englishSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?:;])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => {
      const words = new Set(s.toLowerCase().match(/[a-z']+/g) ?? []);
      return [...words].filter((w) => ENGLISH.has(w)).length >= 3;
    });
}

/** The visible text of an HTML page's <main>, without tags. */
export function mainText(html: string): string {
  const main = /<main[\s\S]*?<\/main>/.exec(html)?.[0] ?? html;
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ');
}
