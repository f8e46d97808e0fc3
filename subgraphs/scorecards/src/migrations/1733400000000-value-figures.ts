import type { MigrationInterface, QueryRunner } from 'typeorm';

const ALL = 'hubsec.sees_all()';
const SYSTEM = 'hubsec.is_system()';
const ME = 'hubsec.partner()';

/**
 * The value figures a cell keeps (services/value-figures.ts VALUE_FIGURES), each as a count
 * of handoffs (or dues) and their summed native amount.
 */
export const VALUE_FIGURE_COLUMNS = ['proposed', 'accepted', 'completed', 'rejected', 'expired', 'cancelled', 'stallable', 'clock_risk', 'never_proposed'];

/** What makes a handoff stallable (handoff-fact.ts isStallable), as in StallableCounts1733200000001. */
const STALLABLE = `state IN ('PROPOSED', 'ACCEPTED') AND NOT on_hold AND last_action_at < due_at`;

/**
 * Money in the scorecards (docs/scorecards.md, "Value").
 * - handoff_facts and due_facts keep the value each handoff (due) carries, native: amount
 *   and currency, as handoffs fixed it at proposal; handoff_facts also whether an SLA clock
 *   of an open handoff is at risk or breached (revenue at risk).
 * - value_cells: native sums per currency × proposal day (a due's: its stage move) × partner
 *   × segment × region × moment. Currency and day are what a rate is per: when a rate comes,
 *   changes or goes, the cells of that (currency, day) — a range of the key — say exactly how
 *   much value to move.
 * - value_rollups: per grain × period × partner × segment × region × moment (fine, and
 *   partner-level with segment = region = '*', as the rollups) × currency, each figure's
 *   count and amount converted into the reporting currency at each handoff's proposal-day
 *   rate, and apart, the count and native amount of what had no rate. The projection adds to
 *   them at the rates in force; the exchange-rates consumer moves the value of every
 *   (currency, day) whose rate changed. A scorecard reads them like the rollups: a quarter by
 *   partner × moment is a few hundred rows, not a row per day (docs/scorecards.md, "Value").
 *   Amounts are `numeric` (exact, unbounded sums).
 * - exchange_rate_versions / exchange_rates: every ExchangeRatesSet as it came (any order,
 *   each once); effective_rates: the rate in force per currency and day (the newest version of
 *   the current reporting currency that gives it), recomputed from them when a version comes.
 * Handoffs and dues in the log before values existed carry none, so nothing is back-filled.
 * The not-due index gains the value columns so the stalled value stays an index-only scan.
 */
export class ValueFigures1733400000000 implements MigrationInterface {
  name = 'ValueFigures1733400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE scorecards.handoff_facts ADD COLUMN value_amount numeric, ADD COLUMN value_currency text, ADD COLUMN clock_risk boolean NOT NULL DEFAULT false`,
    );
    await q.query(`ALTER TABLE scorecards.due_facts ADD COLUMN value_amount numeric, ADD COLUMN value_currency text`);
    await q.query(`DROP INDEX scorecards.handoff_facts_not_due_idx`);
    await q.query(`
      CREATE INDEX handoff_facts_not_due_idx ON scorecards.handoff_facts (due_at, proposed_at)
        INCLUDE (to_partner_id, segment, region, moment, from_partner_id, value_amount, value_currency, clock_risk)
        WHERE ${STALLABLE}`);

    await q.query(`
      CREATE TABLE scorecards.value_cells (
        currency text NOT NULL,
        day date NOT NULL,
        partner_id uuid NOT NULL,
        segment text NOT NULL,
        region text NOT NULL,
        moment text NOT NULL,
        ${VALUE_FIGURE_COLUMNS.map((c) => `${c}_n int NOT NULL DEFAULT 0, ${c}_amount numeric NOT NULL DEFAULT 0`).join(',\n        ')},
        PRIMARY KEY (currency, day, partner_id, segment, region, moment)
      ) WITH (fillfactor = 80)`);
    await q.query(`
      CREATE TABLE scorecards.value_rollups (
        grain text NOT NULL CHECK (grain IN ('DAY', 'WEEK', 'MONTH', 'QUARTER')),
        period_start date NOT NULL,
        partner_id uuid NOT NULL,
        segment text NOT NULL,
        region text NOT NULL,
        moment text NOT NULL,
        currency text NOT NULL,
        ${VALUE_FIGURE_COLUMNS.map(
          (c) =>
            `${c}_n int NOT NULL DEFAULT 0, ${c}_amount numeric NOT NULL DEFAULT 0, ${c}_x_n int NOT NULL DEFAULT 0, ${c}_x_amount numeric NOT NULL DEFAULT 0`,
        ).join(',\n        ')},
        PRIMARY KEY (grain, period_start, partner_id, segment, region, moment, currency)
      ) WITH (fillfactor = 70)`);

    await q.query(`
      CREATE TABLE scorecards.exchange_rate_versions (
        version int PRIMARY KEY,
        reporting_currency text NOT NULL,
        set_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE scorecards.exchange_rates (
        version int NOT NULL REFERENCES scorecards.exchange_rate_versions(version),
        currency text NOT NULL,
        day date NOT NULL,
        rate numeric NOT NULL CHECK (rate > 0),
        PRIMARY KEY (version, currency, day)
      )`);
    await q.query(`
      CREATE TABLE scorecards.effective_rates (
        currency text NOT NULL,
        day date NOT NULL,
        rate numeric NOT NULL,
        version int NOT NULL,
        PRIMARY KEY (currency, day)
      )`);

    // The value tables as rollups (a partner reads the cells scored against itself). Rates are
    // no partner's data, and a partner's not-due value is converted with them under its own
    // identity, so every caller reads them; only the consumers (system) write them.
    for (const t of ['value_cells', 'value_rollups']) {
      await q.query(`ALTER TABLE scorecards.${t} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE scorecards.${t} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY ${t}_read ON scorecards.${t} FOR SELECT USING (${ALL} OR partner_id = ${ME})`);
      await q.query(`CREATE POLICY ${t}_projection ON scorecards.${t} FOR ALL TO PUBLIC USING (${SYSTEM}) WITH CHECK (${SYSTEM})`);
    }
    for (const t of ['exchange_rate_versions', 'exchange_rates', 'effective_rates']) {
      await q.query(`ALTER TABLE scorecards.${t} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE scorecards.${t} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY ${t}_read ON scorecards.${t} FOR SELECT USING (true)`);
      await q.query(`CREATE POLICY ${t}_consumer ON scorecards.${t} FOR ALL TO PUBLIC USING (${SYSTEM}) WITH CHECK (${SYSTEM})`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['effective_rates', 'exchange_rates', 'exchange_rate_versions', 'value_rollups', 'value_cells'])
      await q.query(`DROP TABLE scorecards.${t}`);
    await q.query(`DROP INDEX scorecards.handoff_facts_not_due_idx`);
    await q.query(`
      CREATE INDEX handoff_facts_not_due_idx ON scorecards.handoff_facts (due_at, proposed_at)
        INCLUDE (to_partner_id, segment, region, moment, from_partner_id)
        WHERE ${STALLABLE}`);
    await q.query(`ALTER TABLE scorecards.due_facts DROP COLUMN value_amount, DROP COLUMN value_currency`);
    await q.query(`ALTER TABLE scorecards.handoff_facts DROP COLUMN value_amount, DROP COLUMN value_currency, DROP COLUMN clock_risk`);
  }
}
