import { runService } from '../shared/server/run-service';

// Required once tracing runs, so that it instruments pg, express and http as they load.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load the gateway before tracing starts
runService('gateway', () => (require('./start-gateway') as typeof import('./start-gateway')).startGateway);
