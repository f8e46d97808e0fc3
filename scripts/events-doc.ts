import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEventsTable, withTable } from '../shared/eventlog/events-doc';
import { repoRoot } from '../shared/paths';
import { ACCOUNTS_EVENTS } from '../subgraphs/accounts/src/consumers';
import { HANDOFFS_EVENTS } from '../subgraphs/handoffs/src/consumers';
import { SCORECARDS_EVENTS } from '../subgraphs/scorecards/src/consumers';
import { SLAS_EVENTS } from '../subgraphs/slas/src/consumers';

/** Every subgraph's consumer registry, in start order. */
export const EVENT_REGISTRIES = [ACCOUNTS_EVENTS, HANDOFFS_EVENTS, SLAS_EVENTS, SCORECARDS_EVENTS];

/** `npm run docs:events`: rewrites the generated table in docs/events.md. */
if (require.main === module) {
  const path = join(repoRoot(), 'docs', 'events.md');
  writeFileSync(path, withTable(readFileSync(path, 'utf8'), renderEventsTable(EVENT_REGISTRIES)));
  console.log(`wrote ${path}`);
}
