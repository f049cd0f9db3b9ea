import mongoose from 'mongoose';
import { isDatabaseUnreachable } from '../../../src/platform/database';

describe('telling "the database cannot be reached" from other errors', () => {
  it('when a command is written on a socket the dying server has closed (EPIPE), then it is unreachable', () => {
    const epipe = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
    expect(isDatabaseUnreachable(epipe)).toBe(true);
  });

  it("when the driver's network error arrives, then it is unreachable", () => {
    expect(isDatabaseUnreachable(new mongoose.mongo.MongoNetworkError('connection closed'))).toBe(true);
  });

  it('when a query is refused or code fails, then it is not', () => {
    expect(isDatabaseUnreachable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnreachable(Object.assign(new Error('dup'), { code: 11000 }))).toBe(false);
    expect(isDatabaseUnreachable(undefined)).toBe(false);
  });
});
