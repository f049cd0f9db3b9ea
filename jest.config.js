/** Unit and integration tests: real HTTP through supertest, the real local database over the wire. */
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
  maxWorkers: process.env.CI ? 2 : '50%',
};
