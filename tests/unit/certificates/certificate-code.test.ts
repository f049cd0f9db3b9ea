import { CODE_LENGTH, findCode, formatCode, newCertificateCode, parseCode } from '../../../src/features/certificates/certificate-code';

describe('verification codes', () => {
  it('when codes are drawn, then each has 28 Crockford base32 characters (140 random bits) and none repeats', () => {
    const codes = Array.from({ length: 2000 }, newCertificateCode);
    expect(CODE_LENGTH * 5).toBeGreaterThanOrEqual(128);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{28}$/);
    expect(new Set(codes).size).toBe(codes.length);
    // every symbol shows up: the draw is not stuck on part of the alphabet
    expect(new Set(codes.join('')).size).toBe(32);
  });

  it('when a code is printed, then it reads in seven groups of four', () => {
    expect(formatCode('7KQ2M9XDAAAABBBBCCCCDDDDEEEE')).toBe('7KQ2-M9XD-AAAA-BBBB-CCCC-DDDD-EEEE');
  });

  it('when a person types a code loosely, then it is read back: any case, spaces or dashes, O for 0, I and L for 1', () => {
    expect(parseCode(' 7kq2-m9xd aaaa-bbbb-cccc-dddd-eeee ')).toBe('7KQ2M9XDAAAABBBBCCCCDDDDEEEE');
    expect(parseCode('O0IL-M9XD-AAAA-BBBB-CCCC-DDDD-EEEE')).toBe('0011M9XDAAAABBBBCCCCDDDDEEEE');
  });

  it('when the input is not a code, then nothing is read', () => {
    expect(parseCode('7KQ2-M9XD')).toBeUndefined();
    expect(parseCode('UUUU-M9XD-AAAA-BBBB-CCCC-DDDD-EEEE')).toBeUndefined();
    expect(parseCode({ $gt: '' })).toBeUndefined();
    expect(parseCode('x'.repeat(1000))).toBeUndefined();
  });

  it('when a verification link is pasted, then its code is found', () => {
    expect(findCode('https://learn.example.org/verify/7KQ2-M9XD-AAAA-BBBB-CCCC-DDDD-EEEE')).toBe('7KQ2M9XDAAAABBBBCCCCDDDDEEEE');
    expect(findCode('https://learn.example.org/about')).toBeUndefined();
  });
});
