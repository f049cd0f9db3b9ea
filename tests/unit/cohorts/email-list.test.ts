import { MAX_ADDRESSES, parseEmailList } from '../../../src/features/cohorts/email-list';

describe('reading a list of e-mail addresses', () => {
  it('when addresses come one per line, from an e-mail "To" field or with mailto:, then each is read and lower-cased', () => {
    const list = parseEmailList('ana@example.org\r\nBo Diallo <Bo@Example.org>, "Chen, Wei" <chen@example.org>\nmailto:dora@example.org');
    expect(list).toMatchObject({ ok: true, malformed: [], duplicates: 0 });
    if (list.ok) expect(list.entries.map((e) => e.email)).toEqual(['ana@example.org', 'bo@example.org', 'chen@example.org', 'dora@example.org']);
  });

  it('when a row is broken, has no address or a wrong one, then it is reported with its line and the others still count', () => {
    const list = parseEmailList('email,name\nana@example.org,Ana\n,Nobody\n"unclosed,quote\nnot-an-address,X\n\nana@example.org,Ana again');
    expect(list.ok).toBe(true);
    if (!list.ok) return;
    expect(list.entries).toEqual([{ line: 2, email: 'ana@example.org' }]);
    expect(list.malformed.map((m) => [m.line, m.reason])).toEqual([
      [3, 'noEmail'],
      [4, 'unreadable'],
      [5, 'invalidEmail'],
    ]);
    expect(list.duplicates).toBe(1);
  });

  it('when the list is longer than the limit, then it is refused as a whole', () => {
    const lines = Array.from({ length: MAX_ADDRESSES + 1 }, (_, i) => `p${i}@example.org`).join('\n');
    expect(parseEmailList(lines)).toEqual({ ok: false, reason: 'tooMany' });
  });
});
