import { Types } from 'mongoose';
import { createAttemptTokens } from '../../../src/features/learning';

const attempt = {
  _id: new Types.ObjectId(),
  userId: new Types.ObjectId().toHexString(),
  moduleId: 'introduction',
  moduleVersion: 3,
  number: 2,
  questions: [
    { questionId: 'q-why-local', optionIds: ['b', 'a', 'c'] },
    { questionId: 'q-true "quoted" é', optionIds: ['true', 'false'] },
  ],
};
const id = String(attempt._id);

describe('the quiz form’s signed attempt', () => {
  const tokens = createAttemptTokens('a session secret that is long enough');

  it('when a token is read back for its own attempt id, then it gives the attempt as drawn, options in their order', () => {
    expect(tokens.read(tokens.make(attempt), id)).toEqual(attempt);
  });

  it('when the token is sent with another attempt id, then it is not used', () => {
    expect(tokens.read(tokens.make(attempt), new Types.ObjectId().toHexString())).toBeUndefined();
  });

  it('when any part of the payload is changed, then the token is not used', () => {
    const token = tokens.make(attempt);
    const [payload, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims[5] = [['q-other', ['x']]];
    const forged = `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    expect(tokens.read(forged, id)).toBeUndefined();
    const otherUser = [...claims];
    otherUser[1] = new Types.ObjectId().toHexString();
    expect(tokens.read(`${Buffer.from(JSON.stringify(otherUser)).toString('base64url')}.${signature}`, id)).toBeUndefined();
    // one character of the signature changed
    expect(tokens.read(`${payload}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`, id)).toBeUndefined();
  });

  it('when the token was signed with another secret, then it is not used', () => {
    expect(tokens.read(createAttemptTokens('another secret entirely, also long').make(attempt), id)).toBeUndefined();
  });

  it('when the field is missing, not a string, empty, huge or garbage, then it is not used and nothing throws', () => {
    for (const bad of [undefined, null, 42, ['a.b'], { a: 1 }, '', '.', 'abc', `${'a'.repeat(20_000)}.${'b'.repeat(43)}`, `x.${'b'.repeat(43)}`, '\u0000.\u0000'])
      expect(tokens.read(bad, id)).toBeUndefined();
  });
});
