import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { buildApp } from './build-app';

/** A client that may read lessons. */
export async function readerAgent(connection: Connection) {
  return supertest.agent(buildApp(connection));
}
