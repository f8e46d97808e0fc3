import type { DataSource } from 'typeorm';
import type { HubGateway } from '../gateway/gateway';
import { startGateway } from '../gateway/start-gateway';
import { devOidcClient, SUBGRAPH_NAMES, type HubConfig, type SubgraphName } from '../shared/config';
import type { Logger } from '../shared/logger';
import { startSubgraph } from '../shared/server/start-subgraph';
import type { SubgraphServer } from '../shared/server/subgraph-server';
import { DEMO_PARTNERS, DEMO_PEOPLE } from '../subgraphs/accounts/src/seed';
import { startDevOidcProvider, type DevOidcProvider } from './dev-oidc-provider';
import { SUBGRAPHS } from './registry';
import { startDevMailbox } from './dev-mailbox';
import type { DevMailbox } from '../shared/dev/dev-mailbox';

export interface RunningHub {
  gatewayUrl?: string;
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  gateway?: HubGateway;
  servers: Partial<Record<SubgraphName, SubgraphServer>>;
  dataSources: Partial<Record<SubgraphName, DataSource>>;
  /** The local OpenID provider with the demo people, when the configuration asks for it (development, tests). */
  oidcProvider?: DevOidcProvider;
  /** The local SMTP server notifications go to in development (shown at the gateway's /dev/mail). */
  mailbox?: DevMailbox;
  stop(): Promise<void>;
}

/** The demo people as the dev provider's accounts. */
const demoAccounts = () => {
  const partners = new Map<string, string>(DEMO_PARTNERS.map((p) => [p.id, p.name]));
  return DEMO_PEOPLE.map((p) => ({ email: p.email, name: p.name, partnerName: partners.get(p.partnerId) ?? '' }));
};

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
      let gatewayConfig = config;
      if (config.signIn.devProvider && !config.signIn.oidc) {
        const provider = await startDevOidcProvider({
          accounts: demoAccounts(),
          host: config.host,
          port: config.signIn.devProvider.port,
          log: log.child({ service: 'oidc-dev' }),
        });
        stops.push(provider.stop);
        hub.oidcProvider = provider;
        gatewayConfig = { ...config, signIn: { ...config.signIn, oidc: devOidcClient(provider.issuer) } };
      }
      const gateway = await startGateway(gatewayConfig, databaseUrl, log.child({ service: 'gateway' }), hub.subgraphUrls, hub.mailbox?.handler('/dev/mail'));
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
