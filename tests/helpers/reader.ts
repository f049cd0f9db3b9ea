import type { Connection } from 'mongoose';
import { signedInAgent } from './learner';

/**
 * A client that may read lessons: a signed-in learner. A signed-in user's stored language wins over
 * `?lng=` (DESIGN.md), so a test that reads in Spanish or French makes a reader who prefers it.
 */
export async function readerAgent(connection: Connection, language: 'en' | 'es' | 'fr' = 'en') {
  return (await signedInAgent(connection, { language })).agent;
}
