import { SUBGRAPH_NAMES } from '../shared/config';
import { importClosure } from './support/import-closure';

/**
 * Each service's entry point loads only its own code and shared/; only the top-level runner
 * (scripts/) composes the services. A subgraph that reached another's files would start
 * that code in its own process and couple their deployments.
 */
describe('service entry points', () => {
  const entries = [
    ...SUBGRAPH_NAMES.map((name) => ({ entry: `subgraphs/${name}/src/main.ts`, own: [`subgraphs/${name}/`] })),
    // The dashboard's pages are served by the gateway.
    { entry: 'gateway/main.ts', own: ['gateway/', 'dashboard/'] },
  ];

  it.each(entries)('$entry loads only its own files and shared/', ({ entry, own }) => {
    const closure = importClosure(entry);
    const foreign = closure.filter((file) => !file.startsWith('shared/') && !own.some((dir) => file.startsWith(dir)));
    expect(foreign).toEqual([]);
    // Sanity: the walk follows the entry's lazy require into the service itself.
    expect(closure.filter((file) => file.startsWith(own[0]!)).length).toBeGreaterThan(10);
  });

  it('the top-level runner composes every service', () => {
    const closure = importClosure('scripts/start.ts');
    for (const file of [...SUBGRAPH_NAMES.map((n) => `subgraphs/${n}/src/server.ts`), 'gateway/gateway.ts']) expect(closure).toContain(file);
  });
});
