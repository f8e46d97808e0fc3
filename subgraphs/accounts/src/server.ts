import { createPubSub } from '@graphql-yoga/subscription';
import express from 'express';
import type { DataSource } from 'typeorm';
import { IDENTITY_HEADER, verifyIdentity } from '../../../shared/auth/identity';
import { EventRelay } from '../../../shared/eventlog/event-relay';
import type { Logger } from '../../../shared/logger';
import { createSubgraphServer, type SubgraphServer } from '../../../shared/server/subgraph-server';
import type { AccountsContext, AccountsPubSub } from './context';
import { createAccountsLoaders } from './loaders/accounts.loaders';
import { buildAccountsSchema } from './schema';
import { authenticateApiKey } from './services/api-key.service';

/** Options for {@link createAccountsServer}. */
export interface AccountsServerOptions {
  /** An initialised, migrated DataSource; the server does not close it. */
  dataSource: DataSource;
  identitySecret: string;
  log: Logger;
}

export interface AccountsServer extends SubgraphServer {
  relay: EventRelay;
}

export async function createAccountsServer(opts: AccountsServerOptions): Promise<AccountsServer> {
  const { dataSource: db, log } = opts;
  const pubSub: AccountsPubSub = createPubSub();
  const relay = new EventRelay({ url: (db.options as { url: string }).url, dataSource: db, log });
  relay.subscribe((event) => pubSub.publish(event.type, event));
  await relay.start();

  const schema = await buildAccountsSchema(pubSub);
  const server = createSubgraphServer<AccountsContext>({
    name: 'accounts',
    schema,
    identitySecret: opts.identitySecret,
    log,
    createContext: (base) => ({ ...base, db, loaders: createAccountsLoaders(db, base.identity) }),
    ready: async () => (await db.query('SELECT 1')).length === 1,
    routes: (app) => {
      // The gateway resolves API keys here; only a caller holding the identity secret may ask.
      app.post('/internal/authenticate', express.json({ limit: '4kb' }), async (req, res) => {
        const caller = verifyIdentity(req.header(IDENTITY_HEADER), opts.identitySecret);
        if (caller?.role !== 'SERVICE') return void res.status(401).json({ error: 'service identity required' });
        try {
          const identity = await authenticateApiKey(db, String(req.body?.apiKey ?? ''));
          res.status(identity ? 200 : 404).json({ identity });
        } catch (err) {
          log.error({ err: (err as Error).message }, 'authenticate failed');
          res.status(503).json({ error: 'unavailable' });
        }
      });
    },
    onStop: () => relay.stop(),
  });
  return Object.assign(server, { relay });
}
