import type { EntityManager } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { Dec } from '../../../../shared/graphql/money';
import type { Contribution } from './handoff-fact';
import { periodStart } from './periods';
import { ALL } from './rollup-cells';
import { VALUE_FIGURES, type ValueContribution, type ValueFigure } from './value-figures';

/** A value cell's key: the currency and day a rate is per, and the cell's dimensions. */
export interface ValueCellKey {
  currency: string;
  day: string;
  partner_id: string;
  segment: string;
  region: string;
  moment: string;
}

interface ValueDelta {
  key: ValueCellKey;
  n: Record<ValueFigure, number>;
  amount: Record<ValueFigure, Dec>;
}

/** A batch's changes to the value cells, by cell key. */
export type ValueDeltas = Map<string, ValueDelta>;

const zero = <T>(v: () => T) => Object.fromEntries(VALUE_FIGURES.map((f) => [f, v()])) as Record<ValueFigure, T>;

/**
 * Serialises what writes the value rollups: the projection (which converts at the rates in
 * force) and the exchange-rates consumer (which moves value when a rate changes). Each takes
 * it in a statement of its own before it reads a rate, so whichever comes second sees all the
 * other wrote: a handoff's value is never converted at a rate that was being replaced.
 */
export const VALUE_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('scorecards.value_rollups'))`;

/**
 * Adds (sign 1) or takes out (sign -1) a handoff's or due's value in its value cell: the UTC
 * day of its period instant (a handoff's proposal, a due's stage move), which is also the day
 * its rate is taken from.
 */
export function addValueContribution(
  deltas: ValueDeltas,
  c: Pick<Contribution, 'partnerId' | 'segment' | 'region' | 'moment' | 'periodAt'>,
  v: ValueContribution,
  sign: 1 | -1,
) {
  const key: ValueCellKey = {
    currency: v.currency,
    day: periodStart(c.periodAt, 'DAY'),
    partner_id: c.partnerId,
    segment: c.segment,
    region: c.region,
    moment: c.moment,
  };
  const k = Object.values(key).join('|');
  let d = deltas.get(k);
  if (!d) {
    d = { key, n: zero(() => 0), amount: zero(() => new Dec(0)) };
    deltas.set(k, d);
  }
  const amount = new Dec(v.amount).times(sign);
  for (const f of v.figures) {
    d.n[f] += sign;
    d.amount[f] = d.amount[f].plus(amount);
  }
}

const KEY_NAMES = ['currency', 'day', 'partner_id', 'segment', 'region', 'moment'];
const FIGURE_NAMES = VALUE_FIGURES.flatMap((f) => [`${f}_n`, `${f}_amount`]);
/** The rollup columns of each figure: converted count and amount, and the count and native amount without a rate. */
export const ROLLUP_FIGURE_NAMES = VALUE_FIGURES.flatMap((f) => [`${f}_n`, `${f}_amount`, `${f}_x_n`, `${f}_x_amount`]);
const ROLLUP_KEY = 'grain, period_start, partner_id, segment, region, moment, currency';

/** Each value cell of `source` (aliased v, with its rate expression) in its rollup cells: four grains, fine and partner-level. */
export const rollupCellsOf = (source: string) => `
  ${source}
  CROSS JOIN (VALUES ('DAY'), ('WEEK'), ('MONTH'), ('QUARTER')) g(grain)
  CROSS JOIN LATERAL (VALUES (v.segment, v.region), ('${ALL}', '${ALL}')) l(segment, region)`;

/** The rollup key of a value cell (periods as periods.ts: UTC calendar periods, ISO weeks; a date, so no time zone applies). */
export const ROLLUP_KEY_SELECT = `g.grain, date_trunc(lower(g.grain), v.day::timestamp)::date, v.partner_id, l.segment, l.region, v.moment, v.currency`;

/** Adds the selected figures to the value rollups, cell by cell (a statement may touch a cell once, hence grouped). */
export const upsertValueRollups = (select: string) => `
  INSERT INTO scorecards.value_rollups (${ROLLUP_KEY}, ${ROLLUP_FIGURE_NAMES.join(', ')})
  ${select}
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (${ROLLUP_KEY}) DO UPDATE SET ${ROLLUP_FIGURE_NAMES.map((n) => `${n} = value_rollups.${n} + EXCLUDED.${n}`).join(', ')}`;

/** The current reporting currency: that of the newest version; null before any was set. */
export const REPORTING_CURRENCY_SQL = `(SELECT reporting_currency FROM scorecards.exchange_rate_versions ORDER BY version DESC LIMIT 1)`;

/**
 * Two statements for the whole batch, none when no value moved: the lock, then one statement
 * that adds each cell's delta to the value cells (native) and, converted at the rate in force
 * for its currency and day (1 in the reporting currency), to its rollup cells, or, without a
 * rate, to their unconvertible part. All in SQL `numeric`, exact; amounts travel as strings.
 */
export async function applyValueDeltas(deltas: ValueDeltas, manager: Pick<EntityManager, 'query'>): Promise<void> {
  const moved = [...deltas.values()].filter((d) => VALUE_FIGURES.some((f) => d.n[f] !== 0 || !d.amount[f].isZero()));
  if (moved.length === 0) return;
  const rows = moved.map((d) => {
    const row: Record<string, unknown> = { ...d.key };
    for (const f of VALUE_FIGURES) {
      row[`${f}_n`] = d.n[f];
      row[`${f}_amount`] = d.amount[f].toFixed();
    }
    return row;
  });
  const columns = `currency text, day date, partner_id uuid, segment text, region text, moment text, ${VALUE_FIGURES.map((f) => `${f}_n int, ${f}_amount numeric`).join(', ')}`;
  await manager.query(`${BACKGROUND}${VALUE_LOCK_SQL}`);
  await manager.query(
    `${BACKGROUND}WITH d AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${columns})),
     cells AS (
       INSERT INTO scorecards.value_cells (${KEY_NAMES.join(', ')}, ${FIGURE_NAMES.join(', ')})
       SELECT ${KEY_NAMES.join(', ')}, ${FIGURE_NAMES.join(', ')} FROM d
       ON CONFLICT (${KEY_NAMES.join(', ')}) DO UPDATE SET ${FIGURE_NAMES.map((n) => `${n} = value_cells.${n} + EXCLUDED.${n}`).join(', ')}
     )
     ${upsertValueRollups(`
       SELECT ${ROLLUP_KEY_SELECT},
              ${VALUE_FIGURES.map(
                (f) => `sum(CASE WHEN x.rate IS NULL THEN 0 ELSE v.${f}_n END)::int, coalesce(sum(v.${f}_amount * x.rate), 0),
              sum(CASE WHEN x.rate IS NULL THEN v.${f}_n ELSE 0 END)::int, sum(CASE WHEN x.rate IS NULL THEN v.${f}_amount ELSE 0 END)`,
              ).join(',\n              ')}
       FROM ${rollupCellsOf(`d v
         LEFT JOIN scorecards.effective_rates r ON r.currency = v.currency AND r.day = v.day
         CROSS JOIN LATERAL (SELECT CASE WHEN v.currency = ${REPORTING_CURRENCY_SQL} THEN 1::numeric ELSE r.rate END AS rate) x`)}`)}`,
    [JSON.stringify(rows)],
  );
}
