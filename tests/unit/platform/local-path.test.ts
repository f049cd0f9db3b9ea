import { safeLocalPath } from '../../../src/platform/local-path';

describe('safeLocalPath', () => {
  it.each(['/profile', '/modules/introduction?tab=2#quiz', '/admin/users?q=ana&page=2', '/', '/modules?next=//evil.example', '/verify/%2F%2Fevil.example', '/%0a/%0d//evil.example', '/%2e%2e%2f/evil.example'])('when the path is %s, then it is kept', (path) => {
    expect(safeLocalPath(path, '/fallback')).toBe(path);
  });

  it.each([
    '//evil.example',
    '//evil.example/profile',
    'https://evil.example/',
    'http:/evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/\\/evil.example',
    'javascript:alert(1)',
    'profile',
    '/\t/evil.example',
    '/\n/evil.example',
    '',
    `/${'a'.repeat(2001)}`,
  ])('when the path is %j, then the fallback is used', (path) => {
    expect(safeLocalPath(path, '/fallback')).toBe('/fallback');
  });

  it.each([undefined, null, 42, ['/a'], { $gt: '' }])('when the value is not a string (%j), then the fallback is used', (value) => {
    expect(safeLocalPath(value, '/fallback')).toBe('/fallback');
  });

  /** Forms that browsers read as another site once resolved, collected from open-redirect write-ups. */
  const BYPASSES = [
    '/.//evil.example',
    '/..//evil.example',
    '/%2e//evil.example',
    '/%2E//evil.example',
    '/%2e%2e//evil.example',
    '/.%2e//evil.example',
    '/a/..//evil.example',
    '/a/../..//evil.example',
    '/././/evil.example',
    '/.//evil.example/profile?x=1',
    '/%2e/%2e//evil.example',
    '/.///evil.example',
    '/..///evil.example',
    '///evil.example',
    '////evil.example',
    '/\\evil.example',
    '/.\\evil.example',
    '/\\/evil.example',
    '/\t//evil.example',
    '/\r\n//evil.example',
    '/\u0000//evil.example',
    '/\u007f//evil.example',
    ' //evil.example',
    '\t/evil.example',
    'https:evil.example',
    'https://evil.example',
    '//evil.example@site.invalid',
    'http://site.invalid@evil.example/',
    'data:text/html,<script>alert(1)</script>',
    'javascript://%0aalert(1)',
    'JaVaScRiPt:alert(1)',
    'evil.example',
    './/evil.example',
    '..//evil.example',
    '/\t/evil.example',
    '/.\t/evil.example',
    '/..\\/evil.example',
    '/%2e%2e/%2e%2e//evil.example',
  ];

  it.each(BYPASSES)('when the next path is the bypass %j, then the fallback is used', (path) => {
    expect(safeLocalPath(path, '/fallback')).toBe('/fallback');
  });

  it('when any bypass is given, the result is never a path a browser would read as another host', () => {
    expect(BYPASSES.length).toBeGreaterThanOrEqual(30);
    for (const path of BYPASSES) {
      const result = safeLocalPath(path, '/fallback');
      expect(new URL(result, 'https://learn.example').host).toBe('learn.example');
    }
  });

  it('when the path has dot segments, then they are resolved and it stays on the site', () => {
    expect(safeLocalPath('/a/../../b', '/x')).toBe('/b');
  });
});
