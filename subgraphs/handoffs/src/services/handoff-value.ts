import type { HandoffValueSource, ValueSnapshot } from '../../../../shared/eventlog/events';
import type { MoneyValue } from '../../../../shared/graphql/money';
import { HandoffMoment, PlaybookFieldRole } from '../entities/enums';
import type { PlaybookField } from '../entities/playbook-parts';
import { moneyFieldProblem } from './playbook-validation';

/**
 * A handoff's value (docs/handoffs.md#value): a snapshot taken once, at proposal, and never changed
 * afterwards — the playbook's VALUE field in the handoff's data when it carries one, else the
 * customer's commercials by moment: the pipeline value before the sale, the ARR after it. A
 * CUSTOM moment has no place in the customer's journey to read a figure for: only its VALUE
 * field gives it a value.
 */

/** The customer's figures the value may come from (handoffs' projection of accounts). */
export interface CommercialsFigures {
  commercialsCurrency: string | null;
  arr: string | null;
  pipelineValue: string | null;
}

/** Selects {@link CommercialsFigures} of the customer row `c` (handoffs.customers; plain numeric keeps an amount as written). */
export const COMMERCIALS_COLUMNS = `c.commercials_currency AS "commercialsCurrency", c.arr::text AS arr, c.pipeline_value::text AS "pipelineValue"`;

/** Which figure of the commercials a moment's value is, if any. */
export function commercialsSourceOf(moment: HandoffMoment): Exclude<HandoffValueSource, 'PLAYBOOK_FIELD'> | null {
  switch (moment) {
    case HandoffMoment.MQL_TO_SQL:
    case HandoffMoment.DIRECT_TO_PARTNER:
      return 'PIPELINE';
    case HandoffMoment.CLOSED_WON_TO_ONBOARDING:
    case HandoffMoment.ONBOARDING_TO_SUCCESS:
    case HandoffMoment.SUCCESS_TO_RENEWAL:
      return 'ARR';
    case HandoffMoment.CUSTOM:
      return null;
  }
}

/**
 * SQL for the value columns the commercials of customer row `c` give a row whose moment is
 * `moment` (a due opening, set-based), written from {@link commercialsSourceOf} so that SQL
 * and code cannot disagree on which figure a moment takes.
 */
export function commercialsValueSql(moment: string): { amount: string; currency: string; source: string } {
  const moments = (source: string) =>
    Object.values(HandoffMoment)
      .filter((m) => commercialsSourceOf(m) === source)
      .map((m) => `'${m}'`)
      .join(', ');
  const amount = `CASE WHEN c.commercials_currency IS NULL THEN NULL WHEN ${moment} IN (${moments('PIPELINE')}) THEN c.pipeline_value WHEN ${moment} IN (${moments('ARR')}) THEN c.arr END`;
  return {
    amount,
    currency: `CASE WHEN (${amount}) IS NOT NULL THEN c.commercials_currency END`,
    source: `CASE WHEN (${amount}) IS NOT NULL THEN CASE WHEN ${moment} IN (${moments('PIPELINE')}) THEN 'PIPELINE' ELSE 'ARR' END END`,
  };
}

/** The value the customer's commercials give a moment; null when the figure is not known. */
export function valueFromCommercials(moment: HandoffMoment, c: CommercialsFigures | null | undefined): ValueSnapshot | null {
  const source = commercialsSourceOf(moment);
  if (!source || !c?.commercialsCurrency) return null;
  const amount = source === 'PIPELINE' ? c.pipelineValue : c.arr;
  return amount === null ? null : { amount, currency: c.commercialsCurrency, source };
}

/** The playbook's VALUE field, if it has one. */
export const valueFieldOf = (fields: PlaybookField[] | null | undefined): PlaybookField | undefined =>
  (fields ?? []).find((f) => f.role === PlaybookFieldRole.VALUE);

/** The handoff's value at proposal: its data's VALUE field, else the commercials; null when neither gives one. */
export function valueSnapshotOf(
  moment: HandoffMoment,
  fields: PlaybookField[] | null | undefined,
  data: unknown,
  commercials: CommercialsFigures | null | undefined,
): ValueSnapshot | null {
  const field = valueFieldOf(fields);
  const given = field && typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[field.name] : undefined;
  if (given !== undefined && given !== null && moneyFieldProblem(given) === undefined) {
    const money = given as MoneyValue;
    return { amount: money.amount, currency: money.currency, source: 'PLAYBOOK_FIELD' };
  }
  return valueFromCommercials(moment, commercials);
}

/** The three columns a value snapshot is stored in. */
export const valueColumns = (v: ValueSnapshot | null) => ({
  value_amount: v?.amount ?? null,
  value_currency: v?.currency ?? null,
  value_source: v?.source ?? null,
});

/** The snapshot of a row's three value columns (entities' valueAmount, valueCurrency, valueSource). */
export function valueOfRow(row: { valueAmount: string | null; valueCurrency: string | null; valueSource: string | null }): ValueSnapshot | null {
  if (row.valueAmount === null || row.valueCurrency === null || row.valueSource === null) return null;
  return { amount: row.valueAmount, currency: row.valueCurrency, source: row.valueSource as HandoffValueSource };
}
