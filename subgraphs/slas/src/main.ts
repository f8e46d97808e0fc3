import { runSubgraph } from '../../../shared/server/run-subgraph';

// Required once tracing runs, so that it instruments pg, express and http as they load.
runSubgraph('slas', () => (require('./subgraph') as typeof import('./subgraph')).slasSubgraph);
