import crypto from 'node:crypto';

/*
 * Verification codes: 28 characters of Crockford's base32 (no I, L, O or U, so nothing reads as
 * another letter or a word), 140 random bits from the operating system's generator — far past
 * guessing. Printed in seven groups of four; read back in any case, with or without dashes or
 * spaces, and with the letters people confuse (O for 0, I and L for 1) mapped as Crockford says.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 28;
const GROUP = 4;

/** A new random code, in its canonical form (upper case, no dashes). */
export function newCertificateCode(): string {
  const bytes = crypto.randomBytes(CODE_LENGTH); // one byte per character; 256 is a multiple of 32, so no bias
  let code = '';
  for (const byte of bytes) code += ALPHABET[byte % 32];
  return code;
}

/** The canonical code in readable groups: `7KQ2-M9XD-…`. */
export function formatCode(code: string): string {
  return code.match(new RegExp(`.{1,${GROUP}}`, 'g'))!.join('-');
}

/** The canonical code a person or a link typed, or undefined when it cannot be one. */
export function parseCode(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > 80) return undefined;
  const code = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (code.length !== CODE_LENGTH) return undefined;
  return [...code].every((c) => ALPHABET.includes(c)) ? code : undefined;
}

/**
 * Finds a code in what a visitor pasted: the code itself, or a verification link
 * (`…/verify/7KQ2-…`, as in the QR code and in the credential's id).
 */
export function findCode(input: string): string | undefined {
  const direct = parseCode(input.trim());
  if (direct) return direct;
  const fromLink = /\/verify\/([0-9A-Za-z-]{28,40})(?:[/?#.]|$)/.exec(input.trim());
  return fromLink ? parseCode(fromLink[1]) : undefined;
}
