import { isEmail, isURL } from 'class-validator';
import { DateTime } from 'luxon';
import { moneyProblem } from '../../../../shared/graphql/money';
import { PlaybookFieldType } from '../entities/enums';
import type { PlaybookField } from '../entities/playbook-parts';

export interface FieldProblem {
  field: string;
  message: string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a MONEY field's value is unusable; undefined when it is `{ amount: "<decimal string>", currency: "<ISO 4217>" }`. */
export function moneyFieldProblem(v: unknown): string | undefined {
  if (!isPlainObject(v)) return 'an object { "amount": "1250.50", "currency": "EUR" }';
  const extra = Object.keys(v).filter((k) => k !== 'amount' && k !== 'currency');
  if (extra.length) return `only "amount" and "currency" (not ${extra.map((k) => `"${k}"`).join(', ')})`;
  if (typeof v.currency !== 'string') return 'a "currency": an ISO 4217 code such as "EUR"';
  return moneyProblem({ amount: v.amount as string, currency: v.currency });
}

const CHECKS: Record<PlaybookFieldType, (v: unknown) => boolean> = {
  [PlaybookFieldType.STRING]: (v) => typeof v === 'string' && v.trim().length > 0,
  [PlaybookFieldType.NUMBER]: (v) => typeof v === 'number' && Number.isFinite(v),
  [PlaybookFieldType.INTEGER]: (v) => typeof v === 'number' && Number.isInteger(v),
  [PlaybookFieldType.BOOLEAN]: (v) => typeof v === 'boolean',
  [PlaybookFieldType.DATE]: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && DateTime.fromISO(v).isValid,
  [PlaybookFieldType.DATETIME]: (v) => typeof v === 'string' && v.includes('T') && DateTime.fromISO(v, { setZone: true }).isValid,
  [PlaybookFieldType.EMAIL]: (v) => typeof v === 'string' && isEmail(v),
  [PlaybookFieldType.URL]: (v) => typeof v === 'string' && isURL(v, { require_protocol: true }),
  [PlaybookFieldType.STRING_LIST]: (v) => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s.trim().length > 0),
  [PlaybookFieldType.OBJECT]: (v) => isPlainObject(v),
  [PlaybookFieldType.MONEY]: (v) => moneyFieldProblem(v) === undefined,
};

const EXPECTED: Record<PlaybookFieldType, string> = {
  [PlaybookFieldType.STRING]: 'a non-empty string',
  [PlaybookFieldType.NUMBER]: 'a number',
  [PlaybookFieldType.INTEGER]: 'an integer',
  [PlaybookFieldType.BOOLEAN]: 'true or false',
  [PlaybookFieldType.DATE]: 'a date like "2025-01-31"',
  [PlaybookFieldType.DATETIME]: 'an ISO 8601 date-time like "2025-01-31T09:00:00Z"',
  [PlaybookFieldType.EMAIL]: 'an email address',
  [PlaybookFieldType.URL]: 'a URL with its scheme, like "https://…"',
  [PlaybookFieldType.STRING_LIST]: 'a non-empty list of strings',
  [PlaybookFieldType.OBJECT]: 'a JSON object',
  [PlaybookFieldType.MONEY]: 'an amount of money { "amount": "1250.50", "currency": "EUR" }',
};

const isAbsent = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Whether `value` is a present, well-typed value for `field`. */
export const fieldSatisfied = (field: PlaybookField, value: unknown) => !isAbsent(value) && CHECKS[field.type](value);

/**
 * Checks `values` against a playbook's field list and returns one problem per missing or
 * ill-typed field (all of them, not the first), named `${prefix}.${field.name}`. Keys the
 * playbook does not name are allowed: partners may send more than asked.
 */
export function checkFields(fields: PlaybookField[], values: unknown, prefix: string): FieldProblem[] {
  if (values !== null && values !== undefined && !isPlainObject(values)) {
    return [{ field: prefix, message: 'must be a JSON object keyed by field name' }];
  }
  const given = (values ?? {}) as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  for (const field of fields) {
    const value = given[field.name];
    if (isAbsent(value)) {
      if (field.required) problems.push({ field: `${prefix}.${field.name}`, message: `is required: ${field.description} (${EXPECTED[field.type]})` });
    } else if (field.type === PlaybookFieldType.MONEY && moneyFieldProblem(value)) {
      problems.push({ field: `${prefix}.${field.name}`, message: `must be ${EXPECTED[field.type]}: ${moneyFieldProblem(value)}` });
    } else if (!CHECKS[field.type](value)) {
      problems.push({ field: `${prefix}.${field.name}`, message: `must be ${EXPECTED[field.type]}; got ${JSON.stringify(value).slice(0, 80)}` });
    }
  }
  return problems;
}

export const describeProblems = (what: string, problems: FieldProblem[]) => `${what}: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`;
