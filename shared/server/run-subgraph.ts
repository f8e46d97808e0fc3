import type { SubgraphName } from '../config';
import { runService } from './run-service';
import type { SubgraphModule } from './subgraph-module';

/**
 * A subgraph's own process (its main.ts): `load` requires the subgraph's module, and is
 * called only once tracing runs (see {@link runService}).
 */
export function runSubgraph(name: SubgraphName, load: () => SubgraphModule): void {
  runService(name, () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded once tracing runs (see runService)
    const { startSubgraph } = require('./start-subgraph') as typeof import('./start-subgraph');
    const module = load();
    return (config, databaseUrl, log) => startSubgraph(module, config, databaseUrl, log);
  });
}
