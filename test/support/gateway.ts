import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHubGateway, type HubGateway } from '../../gateway/gateway';
import { loadConfig } from '../../shared/config';
import { createLogger, type Logger } from '../../shared/logger';
import { contractsDir } from '../../shared/paths';

/** Options for {@link startGateway}. */
export interface TestGatewayOptions {
  /** Where each subgraph answers (a test hub's `subgraphUrls`, or a stand-in). */
  subgraphUrls: Record<string, string>;
  /** Config variables on top of NODE_ENV=test: HUB_QUERY_PLANNER, HUB_REQUEST_TIMEOUT_MS, … */
  env?: Record<string, string>;
  /** How long an authenticated API key is remembered (ms); default 0: every request authenticates. */
  authCacheMs?: number;
  /** Where its logs go; default silent. */
  log?: Logger;
  /** The hub database, for what a gateway shares through it (revocations, cost budgets). */
  databaseUrl?: string;
}

/**
 * One more gateway, in this process on a free port, over the checked-in supergraph: for
 * tests that compare a configuration with the test hub's own gateway. Stop it in afterAll.
 */
export async function startGateway(opts: TestGatewayOptions): Promise<{ gateway: HubGateway; url: string }> {
  const config = loadConfig({ NODE_ENV: 'test', ...opts.env });
  const gateway = createHubGateway({
    supergraphSdl: readFileSync(join(contractsDir(), 'supergraph.graphql'), 'utf8'),
    subgraphUrls: opts.subgraphUrls,
    identitySecret: config.identitySecret,
    authCacheMs: opts.authCacheMs ?? 0,
    log: opts.log ?? createLogger('test', 'silent'),
    security: config.security,
    databaseUrl: opts.databaseUrl,
  });
  return { gateway, url: await gateway.listen(0) };
}
