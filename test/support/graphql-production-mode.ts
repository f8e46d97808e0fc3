/**
 * Loads graphql-js as the hub runs it in production (the Dockerfile and deploy/ set
 * NODE_ENV=production), before any test file does. graphql picks its `instanceOf` when it is
 * first loaded: under production a bare `instanceof`; otherwise a check that, on every miss,
 * also reads both classes' `Symbol.toStringTag` to report a second copy of graphql
 * (graphql/graphql-js#2317). Every `isListType`, `isObjectType`, … of validation, query cost
 * and execution is such a miss most of the time: it was 18 % of the CPU of the isolation matrix.
 * The repository has one copy of graphql (test/graphql-production-mode.test.ts checks
 * that the check would have nothing to find), and jest's NODE_ENV=test is back before any test
 * code runs.
 */
const mode = process.env.NODE_ENV;
process.env.NODE_ENV = 'production';
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an import is hoisted above the line that sets NODE_ENV
  require('graphql');
} finally {
  process.env.NODE_ENV = mode;
}
