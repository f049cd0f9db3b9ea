import { signerFor } from '../../platform/signing';
import { NOTICE_KINDS, type NoticeKind } from './notification.models';

/**
 * The one-click unsubscribe link works without logging in: its token names the person and the kind
 * of e-mail, signed with a key derived from the session secret, so nobody can make one for someone else.
 */
export function createUnsubscribeTokens(secret: string) {
  // 32 characters: links already e-mailed carry signatures of that length
  const signer = signerFor(secret, 'discussion-unsubscribe', 32);
  return {
    make(userId: string, kind: NoticeKind): string {
      const payload = `${userId}.${kind}`;
      return `${payload}.${signer.sign(payload)}`;
    },
    read(token: string): { userId: string; kind: NoticeKind } | undefined {
      const m = /^([0-9a-f]{24})\.([a-z]+)\.([A-Za-z0-9_-]{32})$/.exec(token);
      if (!m || !(NOTICE_KINDS as readonly string[]).includes(m[2]!)) return undefined;
      if (!signer.verifies(`${m[1]}.${m[2]}`, m[3]!)) return undefined;
      return { userId: m[1]!, kind: m[2] as NoticeKind };
    },
  };
}
export type UnsubscribeTokens = ReturnType<typeof createUnsubscribeTokens>;
