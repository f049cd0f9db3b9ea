import { familyFor, needsSubstitution, splitIntoRuns } from '../../../src/features/certificates/certificate-fonts';

describe('choosing fonts for a name', () => {
  it.each([
    ['Vietnamese and other Latin diacritics', 'Nguyễn Thị Minh Khai-Øre Ñúñez'],
    ['Greek', 'Αλέξανδρος Παπαδόπουλος'],
    ['Cyrillic', 'Ёлкин Жанна Щукина'],
    ['Latin written with combining marks', 'Nguye\u0302\u0303n'],
  ])('when a name is in %s, then one Latin run prints it whole', (_script, name) => {
    expect(splitIntoRuns(name)).toEqual([{ text: name.normalize('NFC'), family: 'latin', substituted: false }]);
  });

  it('when a name mixes scripts, then each part gets a font that has its glyphs', () => {
    expect(splitIntoRuns('Ana 张伟 さくら')).toEqual([
      { text: 'Ana ', family: 'latin', substituted: false },
      { text: '张伟 さくら', family: 'cjk', substituted: false },
    ]);
    expect(familyFor('م')).toBe('arabic');
  });

  it('when a name is in Arabic, then it is one run, so it is shaped and ordered right to left as a whole', () => {
    expect(splitIntoRuns('محمد عبد الله')).toEqual([{ text: 'محمد عبد الله', family: 'arabic', substituted: false }]);
  });

  it('when a name is in Korean or Hebrew, then it has its own font and is never substituted', () => {
    expect(splitIntoRuns('Kim 김민준')).toEqual([
      { text: 'Kim ', family: 'latin', substituted: false },
      { text: '김민준', family: 'korean', substituted: false },
    ]);
    expect(splitIntoRuns('דוד כהן')).toEqual([{ text: 'דוד כהן', family: 'hebrew', substituted: false }]);
    expect(needsSubstitution('Kim 김민준')).toBe(false);
  });

  it('when no bundled font has a character, then it is printed as its code point, never as an empty box', () => {
    expect(splitIntoRuns('Ana สมชาย')).toEqual([
      { text: 'Ana ', family: 'latin', substituted: false },
      { text: 'U+0E2A U+0E21 U+0E0A U+0E32 U+0E22', family: 'latin', substituted: true },
    ]);
    expect(needsSubstitution('Ana สมชาย')).toBe(true); // Thai: no bundled font yet
    expect(needsSubstitution('Nguyễn Thị Minh Khai')).toBe(false);
  });
});
