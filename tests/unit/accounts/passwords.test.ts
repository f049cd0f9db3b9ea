import { registerSchema } from '../../../src/features/accounts/accounts.schemas';
import { createPasswordHasher, isCommonPassword } from '../../../src/features/accounts/passwords';

describe('the password policy', () => {
  it.each(['123456789012', 'passwordpassword', 'Qwerty123456', '1qaz2wsx3edc'])('when the password is %s, then it counts as common', (pw) => {
    expect(isCommonPassword(pw)).toBe(true);
  });

  it('when the password is a passphrase, then it is not common', () => {
    expect(isCommonPassword('tortilla lighthouse quorum')).toBe(false);
  });

  it('when a form passes 11 characters, then the error is the length one; at 12 it passes', () => {
    const base = { name: 'Ana', email: 'ana@example.org', language: 'en' };
    const short = registerSchema.safeParse({ ...base, password: 'abcdefghij1' });
    expect(short.success).toBe(false);
    expect(short.error?.issues[0]?.message).toBe('accounts:errors.passwordTooShort');
    expect(registerSchema.safeParse({ ...base, password: 'abcdefghij12' }).success).toBe(true);
  });

  it('when a name is in any script, then it is accepted as written', () => {
    for (const name of ['Nguyễn Thị Minh Khai', 'Αλέξανδρος Παπαδόπουλος', 'Алексей Иванов', '李小龙', 'محمد علي']) {
      const parsed = registerSchema.safeParse({ name, email: 'a@example.org', password: 'tortilla lighthouse quorum', language: 'fr' });
      expect(parsed.success && parsed.data.name).toBe(name);
    }
  });
});

describe('hashing', () => {
  const hasher = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

  it('when a password is hashed, then it is argon2id, verifies, and a wrong one does not', async () => {
    const hash = await hasher.hash('tortilla lighthouse quorum');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
    expect(await hasher.verify(hash, 'tortilla lighthouse quorum')).toBe(true);
    expect(await hasher.verify(hash, 'tortilla lighthouse quorux')).toBe(false);
    expect(await hasher.verify('not a hash', 'x')).toBe(false);
  });

  it('when the cost changes, then old hashes are flagged for rehashing', async () => {
    const old = await hasher.hash('tortilla lighthouse quorum');
    const stronger = createPasswordHasher({ memoryCost: 2048, timeCost: 2, parallelism: 1 });
    expect(stronger.needsRehash(old)).toBe(true);
    expect(hasher.needsRehash(old)).toBe(false);
  });
});
