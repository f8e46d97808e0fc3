import { badUserInput } from '../../../../shared/errors';
import { Contact, CustomerContext } from '../entities/customer-parts';
import { LifecycleStage, Region, Segment } from '../entities/enums';
import { CommercialsInput } from '../resolvers/revenue.inputs';
import { UpsertCustomerInput } from '../sync/upsert.inputs';

import { CSV_FIELDS, fieldNamed, type CsvField } from '../../../../shared/csv/customer-csv-columns';

export { CSV_FIELDS, fieldNamed, type CsvField };

/** Which column (by position) fills each field. */
export type ColumnMapping = Map<number, CsvField>;

/**
 * The mapping for a header: `explicit` (header name → field name, as the `mapping` parameter
 * gives it) for the columns it names, the rest by name. Columns that map to no field are
 * ignored (and listed). A field filled twice, or a mapping naming an unknown field or
 * column, is BAD_USER_INPUT: the file is refused before any row is read.
 */
export function resolveMapping(header: string[], explicit: Record<string, string> | undefined): { mapping: ColumnMapping; ignored: string[] } {
  const mapping: ColumnMapping = new Map();
  const ignored: string[] = [];
  const position = new Map(header.map((h, i) => [h.trim().toLowerCase(), i]));
  const named = new Set<number>();
  for (const [column, target] of Object.entries(explicit ?? {})) {
    const at = position.get(column.trim().toLowerCase());
    if (at === undefined)
      throw badUserInput(`mapping names column "${column}", which the header does not have (it has: ${header.join(', ')})`, [
        { field: 'mapping', message: 'unknown column' },
      ]);
    named.add(at);
    if (target === '' || target === null) continue;
    const field = fieldNamed(target);
    if (!field)
      throw badUserInput(`mapping sends column "${column}" to "${target}", which is not a field; fields: ${CSV_FIELDS.join(', ')}`, [
        { field: 'mapping', message: 'unknown field' },
      ]);
    mapping.set(at, field);
  }
  header.forEach((h, i) => {
    if (named.has(i)) return;
    const field = fieldNamed(h);
    if (field) mapping.set(i, field);
    else ignored.push(h);
  });
  const seen = new Map<CsvField, number>();
  for (const [i, field] of mapping) {
    const first = seen.get(field);
    if (first !== undefined)
      throw badUserInput(`Columns "${header[first]}" and "${header[i]}" both fill ${field}; map one of them elsewhere`, [
        { field: 'mapping', message: 'field filled twice' },
      ]);
    seen.set(field, i);
  }
  if (!seen.has('externalId')) {
    throw badUserInput(`No column fills externalId (your system's id for each customer); name a column "externalId" or map one to it`, [
      { field: 'mapping', message: 'externalId is required' },
    ]);
  }
  return { mapping, ignored };
}

const ENUMS = { segment: Segment, region: Region, lifecycleStage: LifecycleStage } as const;

/** "Closed won" → CLOSED_WON. */
const enumValue = <E extends Record<string, string>>(values: E, cell: string): E[keyof E] | undefined => {
  const key = cell
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  return (Object.values(values) as string[]).includes(key) ? (key as E[keyof E]) : undefined;
};

const listOf = (cell: string) =>
  cell
    .split('|')
    .map((v) => v.trim())
    .filter(Boolean);

/** A row made from one CSV record, or why it cannot be one (cell problems, column by column). */
export type CsvRowInput = { input: UpsertCustomerInput; problems: [] } | { input: null; externalId: string; problems: string[] };

/**
 * One record as an upsertCustomers row. Empty cells are left out (a sync never clears a
 * field); cells are trimmed. What upsertCustomers checks itself (lengths, domains, e-mails,
 * amounts, currencies, dates) it still checks; here only what a cell's text must be to
 * become a value at all (an enum, an integer).
 */
export function rowFromRecord(record: string[], mapping: ColumnMapping): CsvRowInput {
  const problems: string[] = [];
  const input = new UpsertCustomerInput();
  input.externalId = '';
  let contact: Contact | undefined;
  let context: CustomerContext | undefined;
  let commercials: CommercialsInput | undefined;
  const integer = (field: CsvField, cell: string) => {
    if (/^\d+$/.test(cell)) return Number(cell);
    problems.push(`${field}: "${cell}" is not a whole number`);
    return undefined;
  };
  for (const [at, field] of mapping) {
    const cell = (record[at] ?? '').trim();
    if (cell === '' && field !== 'externalId') continue;
    switch (field) {
      case 'externalId':
        input.externalId = cell;
        break;
      case 'name':
      case 'domain':
        input[field] = cell;
        break;
      case 'segment':
      case 'region':
      case 'lifecycleStage': {
        const value = enumValue(ENUMS[field], cell);
        if (value === undefined) problems.push(`${field}: unknown value "${cell}" (one of ${Object.values(ENUMS[field]).join(', ')})`);
        else Object.assign(input, { [field]: value });
        break;
      }
      case 'expectedVersion':
        input.expectedVersion = integer(field, cell);
        break;
      case 'contact.name':
      case 'contact.email':
      case 'contact.role':
      case 'contact.phone':
        contact ??= new Contact();
        Object.assign(contact, { [field.slice('contact.'.length)]: cell });
        break;
      case 'context.goals':
      case 'context.painPoints':
        context ??= Object.assign(new CustomerContext(), { goals: [], painPoints: [] });
        Object.assign(context, { [field.slice('context.'.length)]: listOf(cell) });
        break;
      case 'context.currentSolution':
      case 'context.timeline':
      case 'context.budget':
      case 'context.notes':
        context ??= Object.assign(new CustomerContext(), { goals: [], painPoints: [] });
        Object.assign(context, { [field.slice('context.'.length)]: cell });
        break;
      case 'commercials.contractTermMonths':
        commercials ??= new CommercialsInput();
        commercials.contractTermMonths = integer(field, cell);
        break;
      case 'commercials.currency':
      case 'commercials.arr':
      case 'commercials.pipelineValue':
      case 'commercials.contractValue':
      case 'commercials.renewalDate':
        commercials ??= new CommercialsInput();
        Object.assign(commercials, { [field.slice('commercials.'.length)]: field === 'commercials.currency' ? cell.toUpperCase() : cell });
        break;
    }
  }
  if (contact) {
    if (!contact.name) problems.push('contact.name: required when other contact.* columns are filled');
    input.contacts = [contact];
  }
  if (context) input.context = context;
  if (commercials) {
    if (!commercials.currency) problems.push('commercials.currency: required when other commercials.* columns are filled');
    input.commercials = commercials;
  }
  if (problems.length > 0) return { input: null, externalId: input.externalId, problems };
  return { input, problems: [] };
}
