import { ESLint } from 'eslint';
import { repoRoot } from '../shared/paths';

/**
 * The service boundaries in eslint.config.mjs: no subgraph loads another's code, the gateway
 * or scripts/; the gateway loads no subgraph; shared/ loads no service. The rules match
 * relative specifiers per folder depth, so the cases sit at different depths. That the real
 * tree keeps them is `npm run lint` (run by `npm test`).
 */
describe('lint: service boundaries', () => {
  const eslint = new ESLint({ cwd: repoRoot() });

  /** The boundary findings (and only those) for `code` linted as if it were `filePath`. */
  const boundaryFindings = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    if (!result) throw new Error(`ESLint returned no result for ${filePath}`);
    return result.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.ruleId);
  };

  it.each([
    ['subgraphs/accounts/src/services/x.ts', 'another subgraph', `import { proposeHandoff } from '../../../handoffs/src/services/propose.service';`],
    ['subgraphs/accounts/src/x.ts', 'another subgraph, through the repository root', `import { x } from '../../../subgraphs/slas/src/seed';`],
    ['subgraphs/accounts/test/x.int.test.ts', 'another subgraph, from a test', `import { x } from '../../scorecards/src/seed';`],
    ['subgraphs/accounts/src/x.ts', 'the gateway', `import { createHubGateway } from '../../../gateway/gateway';`],
    ['subgraphs/handoffs/src/resolvers/deep/x.ts', 'scripts/', `import { startHub } from '../../../../../scripts/hub';`],
    ['subgraphs/accounts/src/x.ts', 'another subgraph, re-exported', `export { x } from '../../handoffs/src/seed';`],
    ['subgraphs/accounts/src/x.ts', 'another subgraph, required lazily', `const m = require('../../handoffs/src/subgraph');`],
    ['shared/db/x.ts', 'a subgraph, from shared/', `import { x } from '../../subgraphs/accounts/src/seed';`],
    ['shared/x.ts', 'the gateway, from shared/', `import { x } from '../gateway/gateway';`],
    ['shared/server/x.ts', 'scripts/, from shared/', `import { x } from '../../scripts/registry';`],
    ['gateway/x.ts', 'a subgraph, from the gateway', `import { x } from '../subgraphs/accounts/src/seed';`],
  ])('%s may not load %s', async (filePath, _what, code) => {
    expect(await boundaryFindings(filePath, code)).toHaveLength(1);
  });

  it.each([
    ['subgraphs/accounts/src/services/x.ts', 'its own code', `import { x } from '../entities/customer.entity';`],
    ['subgraphs/accounts/src/services/x.ts', 'shared/', `import { appendEvent } from '../../../../shared/eventlog/event-log';`],
    ['subgraphs/accounts/test/x.int.test.ts', 'test support', `import { createTestDatabase } from '../../../test/support/database';`],
    ['shared/db/x.ts', 'shared/ itself', `import { x } from '../config';`],
    ['gateway/x.ts', 'the dashboard (it serves its pages)', `import { createDashboardRoutes } from '../dashboard/server';`],
    ['scripts/x.ts', 'a subgraph, from the top-level runner', `import { x } from '../subgraphs/accounts/src/subgraph';`],
    ['test/x.test.ts', 'a subgraph, from test/', `import { x } from '../subgraphs/handoffs/src/seed';`],
    ['bench/x.ts', 'a subgraph, from bench/', `import { x } from '../subgraphs/accounts/src/seed';`],
  ])('%s may load %s', async (filePath, _what, code) => {
    expect(await boundaryFindings(filePath, code)).toEqual([]);
  });
});
