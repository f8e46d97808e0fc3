import type { DataSource } from 'typeorm';
import type { HubConfig } from '../config';
import { openDataSource } from '../db/data-source';
import type { Logger } from '../logger';
import type { SubgraphModule } from './subgraph-module';
import type { SubgraphServer } from './subgraph-server';

/** One subgraph, listening. */
export interface RunningSubgraph {
  dataSource: DataSource;
  server: SubgraphServer;
  /** Its /graphql URL. */
  url: string;
  /** Stops the server, then closes its pool. */
  stop(): Promise<void>;
}

/**
 * Migrates the subgraph's schema, opens its pool as the app role, loads the demo data when
 * configured, and listens on its configured port. Whatever was opened is closed again when
 * a step fails.
 */
export async function startSubgraph(module: SubgraphModule, config: HubConfig, databaseUrl: string, log: Logger): Promise<RunningSubgraph> {
  const dataSource = await openDataSource(module.createDataSource(databaseUrl, config.dbPoolSize), { appUrl: config.databaseAppUrl });
  let server: SubgraphServer | undefined;
  try {
    if (config.seedDemo && module.seed) await module.seed(dataSource);
    server = await module.createServer({ dataSource, identitySecret: config.identitySecret, log, config });
    const url = await server.listen(config.subgraphs[module.name].port, config.host);
    const running = server;
    return {
      dataSource,
      server: running,
      url,
      stop: async () => {
        await running.stop();
        await dataSource.destroy();
      },
    };
  } catch (err) {
    await server?.stop().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
    throw err;
  }
}
