// Three tiers by file name (see README "Tests"): *.test.ts (schema-level),
// *.int.test.ts (one subgraph, real Postgres), *.e2e.test.ts (gateway + subgraphs).
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};

// graphql-codegen's CLI depends on ESM-only packages, which jest cannot require: the one helper
// that runs it keeps its import() as a real dynamic import (jest loads ESM under --experimental-vm-modules).
const keepDynamicImport = ['@swc/jest', { ...transform['^.+\\.ts$'][1], module: { type: 'commonjs', ignoreDynamic: true } }];
const transformOrdered = { 'test/support/codegen\\.ts$': keepDynamicImport };

// jose (JWT verification, gateway/jwt.ts), openid-client with oauth4webapi (sign-in, gateway/oidc-routes.ts)
// and oidc-provider (the dev provider, scripts/dev-oidc-provider.ts) ship ESM only; Node 20's jest cannot
// require them untransformed (Node itself does, through require(esm)).
const esmOnlyPackages = ['jose', 'openid-client', 'oauth4webapi', 'oidc-provider'];
transform[`node_modules/(${esmOnlyPackages.join('|')})/.+\\.js$`] = ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }];

const common = {
  transform: { ...transformOrdered, ...transform },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages.join('|')})/)`],
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata', '<rootDir>/test/support/graphql-production-mode.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 30000,
  // Two files at a time, each jest worker on its own embedded PostgreSQL cluster
  // (test/global-setup.ts): a transaction open in one cluster holds back every event reader in
  // that cluster, so files that run together must not share one (docs/testing.md). A file spends
  // much of its time waiting on servers and timers, so two overlap well even on two cores. One
  // given DATABASE_URL is one cluster: one file at a time.
  maxWorkers: process.env.DATABASE_URL ? 1 : 2,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$', '\\.e2e\\.test\\.ts$'],
    },
    { ...common, displayName: 'int', testMatch: ['<rootDir>/**/*.int.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/**/*.e2e.test.ts'] },
  ],
};
