import type { DataSource } from 'typeorm';
import type { HubGateway } from '../gateway/gateway';
import { startGateway } from '../gateway/start-gateway';
import { SUBGRAPH_NAMES, type HubConfig, type SubgraphName } from '../shared/config';
import type { Logger } from '../shared/logger';
import { startSubgraph } from '../shared/server/start-subgraph';
import type { SubgraphServer } from '../shared/server/subgraph-server';
import { SUBGRAPHS } from './registry';
import { startDevMailbox } from './dev-mailbox';
import type { DevMailbox } from '../shared/dev/dev-mailbox';

export interface RunningHub {
  gatewayUrl?: string;
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  gateway?: HubGateway;
  servers: Partial<Record<SubgraphName, SubgraphServer>>;
  dataSources: Partial<Record<SubgraphName, DataSource>>;
  /** The local SMTP server notifications go to in development (shown at the gateway's /dev/mail). */
  mailbox?: DevMailbox;
  stop(): Promise<void>;
}

/**
 * The top-level runner: starts the services `config.services` names in this process, each
 * subgraph on its own port with its own pool (accounts first: the gateway authenticates
 * through it), then the gateway pointed at them. `npm start` and the e2e tests come
 * through here; a deployment runs each service's own main.ts instead.
 */
export async function startHub(hubConfig: HubConfig, databaseUrl: string, log: Logger): Promise<RunningHub> {
  let config = hubConfig;
  const hub: RunningHub = { subgraphUrls: {}, servers: {}, dataSources: {}, stop: async () => undefined };
  const stops: (() => Promise<void>)[] = [];
  hub.stop = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => log.error({ err: (err as Error).message }, 'stop failed'));
    stops.length = 0;
  };
  try {
    const dev = await startDevMailbox(config, log);
    if (dev) {
      stops.push(dev.stop);
      hub.mailbox = dev.mailbox;
      config = dev.config;
    }
    for (const name of SUBGRAPH_NAMES) {
      if (!config.services.includes(name)) continue;
      const subgraph = await startSubgraph(SUBGRAPHS[name], config, databaseUrl, log.child({ service: name }));
      stops.push(subgraph.stop);
      hub.dataSources[name] = subgraph.dataSource;
      hub.servers[name] = subgraph.server;
      hub.subgraphUrls[name] = subgraph.url;
      log.info({ service: name, url: subgraph.url }, 'subgraph listening');
    }
    if (config.services.includes('gateway')) {
      const gateway = await startGateway(config, databaseUrl, log.child({ service: 'gateway' }), hub.subgraphUrls, hub.mailbox?.handler('/dev/mail'));
      stops.push(gateway.stop);
      hub.gateway = gateway.gateway;
      hub.gatewayUrl = gateway.url;
    }
    return hub;
  } catch (err) {
    await hub.stop();
    throw err;
  }
}
