import { CODE_ALPHABET, codeExpiresAt, isWellFormedJoinCode, newJoinCode, normalizeJoinCode } from '../../../src/features/cohorts/join-codes';

describe('join codes', () => {
  it('when codes are drawn, then they use no look-alike characters (0/O, 1/I/L)', () => {
    for (const c of '0O1IL') expect(CODE_ALPHABET).not.toContain(c);
    for (let i = 0; i < 200; i++) expect(isWellFormedJoinCode(newJoinCode())).toBe(true);
  });

  it('when a learner types a code with spaces, hyphens or small letters, then it reads as the stored code', () => {
    expect(normalizeJoinCode(' abcd-2345 ')).toBe('ABCD2345');
    expect(normalizeJoinCode('ab cd 23 45')).toBe('ABCD2345');
    expect(isWellFormedJoinCode(normalizeJoinCode('ABCD-0000'))).toBe(false);
  });

  it('when a cohort has an end date and a last day to join, then the code works until the end of the earlier day anywhere on Earth', () => {
    const endsOn = new Date('2025-06-30T00:00:00Z');
    const joinClosesOn = new Date('2025-06-15T00:00:00Z');
    expect(codeExpiresAt({ endsOn })?.toISOString()).toBe('2025-07-01T12:00:00.000Z');
    expect(codeExpiresAt({ endsOn, joinClosesOn })?.toISOString()).toBe('2025-06-16T12:00:00.000Z');
    expect(codeExpiresAt({})).toBeUndefined();
  });
});
