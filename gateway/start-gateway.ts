import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUBGRAPH_NAMES, type HubConfig, type SubgraphName } from '../shared/config';
import { appDatabaseUrl } from '../shared/db/app-role';
import type { Logger } from '../shared/logger';
import { contractsDir } from '../shared/paths';
import { createHubGateway, type HubGateway, type HubGatewayOptions } from './gateway';

/** The gateway, listening. */
export interface RunningGateway {
  gateway: HubGateway;
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves the checked-in supergraph (contracts/supergraph.graphql) on the configured port.
 * Subgraphs are reached at their configured URLs unless `subgraphUrls` names where one
 * actually listens (the all-in-one runner, on ports chosen at start).
 */
export async function startGateway(
  config: HubConfig,
  databaseUrl: string,
  log: Logger,
  subgraphUrls: Partial<Record<SubgraphName, string>> = {},
  /** Development pages the runner composes in (see HubGatewayOptions.devRoutes). */
  devRoutes?: HubGatewayOptions['devRoutes'],
): Promise<RunningGateway> {
  const gateway = createHubGateway({
    supergraphSdl: readFileSync(join(contractsDir(), 'supergraph.graphql'), 'utf8'),
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, subgraphUrls[n] ?? config.subgraphs[n].url])),
    identitySecret: config.identitySecret,
    authCacheMs: config.authCacheMs,
    log,
    graphiqlApiKey: config.demoApiKey,
    production: config.env === 'production',
    security: config.security,
    csv: config.csv,
    signIn: config.signIn,
    // The gateway only listens for revocations and reads event-log lag: the app role suffices.
    databaseUrl: appDatabaseUrl(databaseUrl, config.databaseAppUrl),
    devRoutes,
  });
  try {
    const url = await gateway.listen(config.gatewayPort, config.host);
    return { gateway, url, stop: () => gateway.stop() };
  } catch (err) {
    await gateway.stop().catch(() => undefined);
    throw err;
  }
}
