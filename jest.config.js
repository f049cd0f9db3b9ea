/** Unit and integration tests: real HTTP through supertest, the real local database over the wire. */
const os = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['<rootDir>/tests/{unit,integration}/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    '/node_modules/(jose|@digitalbazaar|base64url-universal|jsonld|jsonld-signatures|rdf-canonize|ky|undici|canonicalize|serialize-error|setimmediate)/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' } }],
  },
  // jose and the status list's @digitalbazaar packages are ESM-only; Node ≥ 20.19 require()s them
  // natively, but jest needs them compiled to CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(jose|@digitalbazaar|base64url-universal|jsonld|jsonld-signatures|rdf-canonize|ky|undici|canonicalize|serialize-error|setimmediate)/)'],
  globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/tests/helpers/global-teardown.ts',
  testTimeout: 30000,
  // A jest worker is one busy Node process (module loading, rendering, the app's own work) while the
  // database server beside it takes a fraction of a core: with one worker a 2-core machine sat half
  // idle, and two workers ran `npm test` in about 60% of the time (measured). So: at least two
  // workers where there are two cores, half the cores on bigger machines, as CI does.
  maxWorkers: process.env.CI ? 2 : Math.max(Math.min(2, os.availableParallelism()), Math.floor(os.availableParallelism() / 2)),
};
