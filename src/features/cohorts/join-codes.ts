import crypto from 'node:crypto';

/**
 * Join codes are read aloud in a classroom and typed on phones: capital letters and digits without
 * the look-alikes 0/O, 1/I/L. Eight of these 31 characters give 8.5 × 10^11 codes, too many to guess
 * within the limit on wrong tries.
 */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 8;

export function newJoinCode(randomInt: (max: number) => number = (max) => crypto.randomInt(max)): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** What a learner typed, as stored: any case, spaces and hyphens ignored ("abcd-efgh" → "ABCDEFGH"). */
export function normalizeJoinCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]+/g, '');
}

export function isWellFormedJoinCode(code: string): boolean {
  return code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c));
}

/** How the code is shown: two groups of four, easier to read out and to copy. */
export function displayJoinCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * The moment a code stops working: the end of its last day anywhere on Earth (UTC−12), so a learner
 * in any time zone can still join on the cohort's last day. The last day is the earlier of the
 * cohort's end date and the day the trainer closed joining.
 */
export function codeExpiresAt(cohort: { endsOn?: Date; joinClosesOn?: Date }): Date | undefined {
  const days = [cohort.endsOn, cohort.joinClosesOn].filter((d): d is Date => d instanceof Date);
  if (days.length === 0) return undefined;
  const last = Math.min(...days.map((d) => d.getTime()));
  return new Date(last + 36 * 3600 * 1000);
}
