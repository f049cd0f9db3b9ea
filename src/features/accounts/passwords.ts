import crypto from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';
import argon2, { type HashOptions } from 'argon2';

export const PASSWORD_MIN_LENGTH = 12;
/** Long passphrases are welcome; the cap only keeps one request from hashing megabytes. */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * The ~50,000 most common passwords from leaked lists, as kept by zxcvbn-ts (maintained, MIT).
 * Compared lower-cased, so "Password1234" counts as common too. Built once, on first use.
 */
let common: Set<string> | undefined;
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common.has(password.toLowerCase());
}

export type HashingCost = { memoryCost: number; timeCost: number; parallelism: number };

export type PasswordHasher = {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** true when a hash was made with other parameters than today's and should be remade */
  needsRehash(hash: string): boolean;
  /** spends the time of one verification, so an unknown e-mail answers as slowly as a known one */
  verifyNothing(password: string): Promise<void>;
};

/** argon2id with the configured cost (see config.ts). */
export function createPasswordHasher(cost: HashingCost): PasswordHasher {
  const options: HashOptions = { type: argon2.argon2id, ...cost };
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => argon2.hash(password, options),
    async verify(hash, password) {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false; // a malformed stored hash never lets anyone in
      }
    },
    needsRehash: (hash) => argon2.needsRehash(hash, options),
    async verifyNothing(password) {
      dummy ??= argon2.hash(crypto.randomBytes(16).toString('hex'), options);
      await argon2.verify(await dummy, password).catch(() => false);
    },
  };
}
