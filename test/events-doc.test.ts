import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_REGISTRIES } from '../scripts/events-doc';
import { renderEventsTable, TABLE_END, TABLE_START, undeclaredTypes } from '../shared/eventlog/events-doc';

const doc = () => readFileSync(join(__dirname, '..', 'docs', 'events.md'), 'utf8');

describe('docs/events.md', () => {
  it('holds the table generated from the consumer registries (run `npm run docs:events`)', () => {
    const text = doc();
    const table = text.slice(text.indexOf(TABLE_START), text.indexOf(TABLE_END) + TABLE_END.length);
    expect(table).toBe(renderEventsTable(EVENT_REGISTRIES));
  });

  it('every type a consumer or subscription declares is in the catalog (EVENT_PRODUCERS)', () => {
    expect(undeclaredTypes(EVENT_REGISTRIES)).toEqual([]);
  });

  it('lists who consumes HandoffAccepted', () => {
    const row = doc()
      .split('\n')
      .find((l) => l.startsWith('| `HandoffAccepted` |'));
    expect(row).toContain('slas: `slas.clocks`');
    expect(row).toContain('scorecards: `scorecards-projection`');
  });
});
