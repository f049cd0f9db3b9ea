import { mentionedIn, renderPost, safeLink } from '../../../src/features/discussion/writing';

describe('what members write', () => {
  it('when Markdown holds raw HTML, scripts or javascript: links, then none survive and links are marked as user content', () => {
    const html = renderPost('<script>x</script> [a](javascript:alert(1)) [b](https://example.org) <a href="https://evil" onclick="x">c</a>');
    expect(html).not.toMatch(/<script|href="javascript:|<[a-z]+[^>]*\sonclick=/i);
    expect(html).toContain('&lt;a href=');
    expect(html).toContain('<a href="https://example.org" rel="nofollow ugc noopener">b</a>');
  });

  it('when a text mentions members by name, then the longest name wins and a longer word is no mention', () => {
    const people = [
      { id: '1', name: 'Ana' },
      { id: '2', name: 'Ana Pérez' },
      { id: '3', name: 'Bo' },
    ];
    expect(mentionedIn('Thanks @ana pérez!', people).map((p) => p.id)).toEqual(['2']);
    expect(mentionedIn('@Bob said', people)).toEqual([]);
    expect(mentionedIn('@Ana and @Bo', people).map((p) => p.id).sort()).toEqual(['1', '3']);
  });

  it('when a practice link is not http(s), then it is refused', () => {
    expect(safeLink('javascript:alert(1)')).toBeUndefined();
    expect(safeLink('data:text/html,x')).toBeUndefined();
    expect(safeLink('https://example.org/a')).toBe('https://example.org/a');
  });
});
