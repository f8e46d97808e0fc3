import type { DataSource } from 'typeorm';
import { createHubDataSource, openDataSource } from '../../shared/db/data-source';
import { SEEN_BEFORE_PREPARING } from '../../shared/db/prepared-statements';
import { appendEvents, readSlice, START_POSITION, type RowQuery } from '../../shared/eventlog/event-log';
import { createLogger } from '../../shared/logger';
import { testEvent, useEventLogTestbed } from './event-log-testbed';

/**
 * The event reader's one statement per read (readSlice) must not scan the log: it runs at
 * every wake-up of every process, and the log only grows. Its test for events held back behind
 * an open transaction was an EXISTS whose generic plan (the statement is prepared) scanned
 * every event from the oldest, since it expected an early match; the rows past the frontier
 * are always the newest. The plans are read as Postgres builds them for the prepared statement
 * (EXPLAIN GENERIC_PLAN) over a log large enough for the planner to weigh a scan.
 */
const LOG_ROWS = 30_000;
const TYPES = ['HandoffProposed', 'HandoffAccepted', 'OwnershipChanged', 'TaskAssigned', 'CustomerUpserted'];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}
const scansOf = (node: PlanNode): string[] => [
  ...(node['Relation Name'] ? [`${node['Node Type']} on ${node['Relation Name']}`] : []),
  ...(node.Plans ?? []).flatMap(scansOf),
];

describe('the event reader reads a slice of the log without scanning it', () => {
  const bed = useEventLogTestbed(createLogger('event-slice-plan', 'silent'));
  let db: DataSource;

  beforeAll(async () => {
    db = await bed.pool('slice-plan');
  });

  /** The text of the statement readSlice sends, as the reader would send it. */
  async function sliceStatement(types: string[] | undefined): Promise<string> {
    const sent: string[] = [];
    const recorder: RowQuery = {
      query: (text, params) => {
        sent.push(text);
        return db.query(text, params);
      },
    };
    await readSlice(recorder, START_POSITION, 100, types);
    expect(sent).toHaveLength(1);
    return sent[0]!;
  }

  it('still answers: the next events, and whether newer ones wait behind an open transaction', async () => {
    await appendEvents(db.manager, ['TaskAssigned', 'HandoffAccepted', 'TaskAssigned', 'TaskAssigned', 'TaskAssigned'].map(testEvent));
    const first = await readSlice(db, START_POSITION, 3, ['TaskAssigned']);
    expect(first.events.map((e) => e.type)).toEqual(['TaskAssigned', 'TaskAssigned', 'TaskAssigned']);
    expect(first.heldBack).toBe(false);

    // An open transaction holds the frontier; an event committed after it is held back.
    const holder = db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SELECT pg_current_xact_id()`);
    try {
      await appendEvents(db.manager, [testEvent('TaskAssigned')]);
      expect((await readSlice(db, START_POSITION, 3, ['TaskAssigned'])).heldBack).toBe(true);
      expect((await readSlice(db, START_POSITION, 3, ['HandoffAccepted'])).heldBack).toBe(false);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    expect((await readSlice(db, START_POSITION, 3, ['TaskAssigned'])).heldBack).toBe(false);
  });

  describe(`over a log of ${LOG_ROWS.toLocaleString('en')} events`, () => {
    beforeAll(async () => {
      // Five events per transaction, as a busy hub writes them. The transaction ids are made up
      // (only the plans are read from here on): the planner weighs a scan by their spread.
      await db.query(
        `INSERT INTO eventlog.events (tx, type, source, aggregate_type, aggregate_id, payload, visible_to, actor)
         SELECT (3 + g / 5)::text::xid8, ($1::text[])[1 + g % 5], 'test', 'T', g::text, jsonb_build_object('n', g), '{}', NULL
           FROM generate_series(1, $2::int) g`,
        [TYPES, LOG_ROWS],
      );
      await db.query(`ANALYZE eventlog.events`);
    });

    it.each([
      ['of the types a consumer declared', ['HandoffProposed', 'TaskAssigned']],
      ['of every type', undefined],
    ])('reads events %s through the order index, the hold test included', async (_what, types) => {
      const text = await sliceStatement(types);
      const [explained] = (await db.query(`EXPLAIN (GENERIC_PLAN, FORMAT JSON) ${text}`)) as { 'QUERY PLAN': { Plan: PlanNode }[] }[];
      const scans = scansOf(explained!['QUERY PLAN'][0]!.Plan).filter((s) => s.endsWith(' on events'));
      expect(scans.length).toBeGreaterThanOrEqual(2); // the slice and the hold test
      expect(scans.filter((s) => !s.startsWith('Index'))).toEqual([]);
    });

    it.each([
      ['with a type filter', [TYPES, TYPES.slice(1)]],
      ['of every type', [undefined, undefined]],
    ] as const)('plans the read %s once per connection, though a reader reads from near the newest event', async (_what, typeSets) => {
      // A service's pool: repeated statements go out named (shared/db/prepared-statements.ts).
      const service = await openDataSource(createHubDataSource({ url: bed.database().url, schema: 'eventlog', entities: [], migrations: [], poolSize: 1 }));
      try {
        const text = await sliceStatement(typeSets[0] && [...typeSets[0]]);
        // A reader keeps up with the log: its position is near the newest event, and a custom
        // plan that knows it expects few rows past it (the generic one a third of the log).
        const [late] = (await service.query(`SELECT tx::text AS tx, seq::text AS seq FROM eventlog.events WHERE tx < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY tx DESC, seq DESC OFFSET 150 LIMIT 1`)) as {
          tx: string;
          seq: string;
        }[];
        const runs = SEEN_BEFORE_PREPARING + 10;
        for (let i = 0; i < runs; i++) {
          const types = typeSets[i % 2];
          expect((await readSlice(service, late!, 100, types && [...types])).events.length).toBeGreaterThan(0);
        }
        const plans = (await service.query(
          `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement = $1`,
          [text],
        )) as { generic: number; custom: number }[];
        // Five custom plans, then the generic one. With any parameter bare (the LIMIT alone was
        // enough here) the custom plans cost less (84.6 against 98.0) and are kept at every read.
        expect(plans).toEqual([{ generic: runs - SEEN_BEFORE_PREPARING - 5, custom: 5 }]);
        // The generic plan starts its scan of the order index at the position.
        const plan = ((await service.query(`EXPLAIN (GENERIC_PLAN, COSTS OFF) ${text}`)) as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).toMatch(/Index Cond: \(\(ROW\(tx, seq\) > ROW\(\(InitPlan \d+\)\.col1, \(InitPlan \d+\)\.col1\)\) AND/);
      } finally {
        await service.destroy();
      }
    });
  });
});
