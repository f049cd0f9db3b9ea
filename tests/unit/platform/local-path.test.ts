import { safeLocalPath } from '../../../src/platform/local-path';

describe('safeLocalPath', () => {
  it.each(['/profile', '/modules/introduction?tab=2#quiz', '/admin/users?q=ana&page=2', '/'])('when the path is %s, then it is kept', (path) => {
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

  it('when the path has dot segments, then they are resolved and it stays on the site', () => {
    expect(safeLocalPath('/a/../../b', '/x')).toBe('/b');
  });
});
