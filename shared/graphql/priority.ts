import { Directive, Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { badUserInput } from '../errors';
import { isUuid } from './ids';
import { Money } from './money';
import { decodeCursor } from './pagination';

/**
 * A piece of work's priority (the formula: shared/priority.ts; docs/handoffs.md#priority), and
 * how lists of work are ordered. Shared, like Money: handoffs ranks handoffs and dues by it,
 * slas its clocks, with one type and one enum.
 */
@Directive('@shareable')
@ObjectType({
  description:
    'How urgent a piece of work is, from the value at stake and the risk of missing its due time (docs/handoffs.md#priority). Lists ordered by PRIORITY sort by score, highest first.',
})
export class Priority {
  @Field(() => Float, {
    description: 'The rank, 0–1, higher first: VALUE_WEIGHT × valuePart + RISK_WEIGHT × riskPart (0.5 each), 6 decimals. A rank, not money.',
  })
  score!: number;

  @Field(() => Money, {
    nullable: true,
    description:
      'The value in the reporting currency, converted at the rate of the proposal day (a due: the day it opened), rounded to the currency’s minor units; null when the value is unknown or no rate converts it (never taken at 1: see reasons).',
  })
  valueAtStake!: Money | null;

  @Field(() => Float, { description: 'min(1, log10(1 + valueAtStake) / 7): 0 without a convertible value, 1 from 9,999,999 in the reporting currency.' })
  valuePart!: number;

  @Field(() => Float, {
    description:
      'The risk of missing the due time: 1 when breached (or stalled past a breached target), else 0.9 × the share of the time to the due time used (at least 0.6 when slas reports AT_RISK); 0 without a due time, on hold or closed.',
  })
  riskPart!: number;

  @Field(() => [String], { description: 'What the parts were made of, in words: the value and its conversion (or why it is unconvertible), then the risk.' })
  reasons!: string[];
}

/** How a list of work is ordered. */
export enum WorkOrder {
  DEFAULT = 'DEFAULT',
  PRIORITY = 'PRIORITY',
}

registerEnumType(WorkOrder, {
  name: 'WorkOrder',
  description: 'How a list of work is ordered.',
  valuesConfig: {
    DEFAULT: { description: 'The list’s own order (its description says which).' },
    PRIORITY: {
      description:
        'By Priority.score, highest first, then the list’s own order. Every page of a listing is scored at the instant of its first page (the cursor carries it), so pages neither skip nor repeat rows as time passes.',
    },
  },
});

export const ORDER_BY_DESCRIPTION =
  'DEFAULT (when left out): the order described above. PRIORITY: by Priority.score, highest first, then that order; the cursor of a PRIORITY page carries the instant the listing is scored at and works only with PRIORITY (BAD_USER_INPUT otherwise).';

/** Where a listing ordered by PRIORITY stands: the instant it is scored at, and the keyset it continues after. */
export interface PriorityPage {
  asOf: string;
  /** (score as exact text, the list's time key ISO, id) of the last row of the previous page. */
  after?: [string, string, string];
}

const SCORE = /^(0|1)(\.\d{1,6})?$/;

/**
 * The PRIORITY position a list's `after` stands for (a fresh listing is scored now), or
 * undefined for the DEFAULT order. A PRIORITY cursor is [asOf, score, time, id]; anything
 * else is BAD_USER_INPUT, as a malformed cursor.
 */
export function priorityPage(orderBy: WorkOrder | null | undefined, after: string | null | undefined, now: Date): PriorityPage | undefined {
  if (orderBy !== WorkOrder.PRIORITY) return undefined;
  if (after === null || after === undefined) return { asOf: now.toISOString() };
  const [asOf, score, at, id] = (decodeCursor(after, 4) ?? []).map(String) as [string, string, string, string];
  if (Number.isNaN(Date.parse(asOf)) || !SCORE.test(score) || Number.isNaN(Date.parse(at)) || !isUuid(id)) {
    throw badUserInput('"after" is not a cursor this API issued', [{ field: 'after', message: 'malformed cursor' }]);
  }
  return { asOf, after: [score, at, id] };
}

/** The cursor of a row of a PRIORITY page. */
export const priorityKey = (asOf: string, score: string | undefined, at: Date, id: string): string[] => [asOf, score ?? '0', at.toISOString(), id];
