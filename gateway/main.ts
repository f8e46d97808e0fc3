import { runService } from '../shared/server/run-service';

// Required once tracing runs, so that it instruments pg, express and http as they load.
runService('gateway', () => (require('./start-gateway') as typeof import('./start-gateway')).startGateway);
