import { runSubgraph } from '../../../shared/server/run-subgraph';

// Required once tracing runs, so that it instruments pg, express and http as they load.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load the subgraph before tracing starts
runSubgraph('scorecards', () => (require('./subgraph') as typeof import('./subgraph')).scorecardsSubgraph);
