import type { SubgraphName } from '../shared/config';
import type { SubgraphModule } from '../shared/server/subgraph-module';
import { accountsSubgraph } from '../subgraphs/accounts/src/subgraph';
import { handoffsSubgraph } from '../subgraphs/handoffs/src/subgraph';
import { scorecardsSubgraph } from '../subgraphs/scorecards/src/subgraph';
import { slasSubgraph } from '../subgraphs/slas/src/subgraph';

/**
 * Every subgraph, for the top-level runner (npm start, the tests) and the contracts: the one
 * place that knows them all. A service's own process takes only its own module (its main.ts).
 */
export const SUBGRAPHS: Record<SubgraphName, SubgraphModule> = {
  accounts: accountsSubgraph,
  handoffs: handoffsSubgraph,
  slas: slasSubgraph,
  scorecards: scorecardsSubgraph,
};

export const implementedSubgraphs = () => Object.keys(SUBGRAPHS) as SubgraphName[];
