import type { Connection } from 'mongoose';
import { signedInAgent } from './learner';

/** A client that may read lessons: a signed-in learner. */
export async function readerAgent(connection: Connection) {
  return (await signedInAgent(connection)).agent;
}
