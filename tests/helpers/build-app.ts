import path from 'node:path';
import type { Router } from 'express';
import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/platform/logger';

/** This jest worker's DATA_DIR: where the app writes e-mails (outbox/) when there is no SMTP server. */
export function testDataDir(): string {
  return path.resolve(__dirname, '../../.test-data/app', `run-${process.env.TEST_RUN_ID ?? 'x'}-worker-${process.env.JEST_WORKER_ID ?? '0'}`);
}

export function testConfig(overrides: Record<string, string> = {}) {
  return loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-test-secret', DATA_DIR: testDataDir(), ...overrides });
}

export function buildApp(connection: Connection, options: { extraRouters?: Router[]; clock?: () => Date } = {}) {
  return createApp({
    config: testConfig(),
    connection,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    extraRouters: options.extraRouters,
    clock: options.clock,
  });
}

/** A cookie-keeping client, like a browser. */
export function agentFor(connection: Connection, options: { extraRouters?: Router[] } = {}) {
  return supertest.agent(buildApp(connection, options));
}

/** Reads the CSRF token out of a rendered form. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no _csrf field in the page');
  return m[1];
}

/** The page's text as a user reads it: entities decoded, so tests can look for "s'est" and "«". */
export function decoded(html: string): string {
  return html
    .replace(/&#39;/g, "'")
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
