import type { LocalDatabase } from '../../src/platform/database';

export default async function globalTeardown() {
  await (globalThis as { __localDb?: LocalDatabase }).__localDb?.stop();
}
