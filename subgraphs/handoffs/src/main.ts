import { runSubgraph } from '../../../shared/server/run-subgraph';

// Required once tracing runs, so that it instruments pg, express and http as they load.
runSubgraph('handoffs', () => (require('./subgraph') as typeof import('./subgraph')).handoffsSubgraph);
