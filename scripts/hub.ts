import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createHubGateway, type HubGateway } from '../gateway/gateway';
import { SUBGRAPH_NAMES, type HubConfig, type SubgraphName } from '../shared/config';
import { appDatabaseUrl } from '../shared/db/app-role';
import { openDataSource } from '../shared/db/data-source';
import type { Logger } from '../shared/logger';
import { contractsDir } from '../shared/paths';
import type { SubgraphServer } from '../shared/server/subgraph-server';
import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';
import { SUBGRAPHS } from './registry';

export interface RunningHub {
  gatewayUrl?: string;
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  gateway?: HubGateway;
  servers: Partial<Record<SubgraphName, SubgraphServer>>;
  dataSources: Partial<Record<SubgraphName, DataSource>>;
  stop(): Promise<void>;
}

/**
 * Starts the services `config.services` names in this process: each subgraph on its own
 * port with its own pool, then the gateway. `npm start`, every service's docker-compose
 * entry point and the e2e tests all come through here.
 */
export async function startHub(config: HubConfig, databaseUrl: string, log: Logger): Promise<RunningHub> {
  const hub: RunningHub = { subgraphUrls: {}, servers: {}, dataSources: {}, stop: async () => undefined };
  const stops: (() => Promise<void>)[] = [];
  hub.stop = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => log.error({ err: (err as Error).message }, 'stop failed'));
    stops.length = 0;
  };
  try {
    for (const name of SUBGRAPH_NAMES) {
      const module = SUBGRAPHS[name];
      if (!module || !config.services.includes(name)) continue;
      const dataSource = await openDataSource(module.createDataSource(databaseUrl, config.dbPoolSize), { appUrl: config.databaseAppUrl });
      stops.push(() => dataSource.destroy());
      hub.dataSources[name] = dataSource;
      if (config.seedDemo && module.seed) await module.seed(dataSource);
      const server = await module.createServer({ dataSource, identitySecret: config.identitySecret, log: log.child({ service: name }), config });
      stops.push(() => server.stop());
      hub.servers[name] = server;
      hub.subgraphUrls[name] = await server.listen(config.subgraphs[name].port, config.host);
      log.info({ service: name, url: hub.subgraphUrls[name] }, 'subgraph listening');
    }
    if (config.services.includes('gateway')) {
      const subgraphUrls = Object.fromEntries(
        SUBGRAPH_NAMES.filter((n) => SUBGRAPHS[n]).map((n) => [n, hub.subgraphUrls[n] ?? config.subgraphs[n].url]),
      );
      const gateway = createHubGateway({
        supergraphSdl: readFileSync(join(contractsDir(), 'supergraph.graphql'), 'utf8'),
        subgraphUrls,
        identitySecret: config.identitySecret,
        authCacheMs: config.authCacheMs,
        log: log.child({ service: 'gateway' }),
        graphiqlApiKey: config.env === 'production' ? undefined : DEMO_PARTNERS[0].apiKey,
        production: config.env === 'production',
        security: config.security,
        // The gateway only listens for revocations and reads event-log lag: the app role suffices.
        databaseUrl: appDatabaseUrl(databaseUrl, config.databaseAppUrl),
      });
      hub.gateway = gateway;
      hub.gatewayUrl = await gateway.listen(config.gatewayPort, config.host);
      stops.push(() => gateway.stop());
    }
    return hub;
  } catch (err) {
    await hub.stop();
    throw err;
  }
}
