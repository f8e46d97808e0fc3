/**
 * The columns of a customers CSV import (docs/csv.md): which fields a column can fill and which
 * header names mean them. Shared by accounts, which applies the mapping, and the dashboard's
 * upload page, which proposes it, so that the page never offers a mapping the hub refuses.
 * Pure: no Node or browser API.
 */

/**
 * The fields a CSV column can fill: the fields of an upsertCustomers row (UpsertCustomerInput),
 * flattened. One contact per row (`contact.*`); list fields (`context.goals`,
 * `context.painPoints`) take several values separated by `|`.
 */
export const CSV_FIELDS = [
  'externalId',
  'name',
  'domain',
  'segment',
  'region',
  'lifecycleStage',
  'expectedVersion',
  'contact.name',
  'contact.email',
  'contact.role',
  'contact.phone',
  'context.goals',
  'context.painPoints',
  'context.currentSolution',
  'context.timeline',
  'context.budget',
  'context.notes',
  'commercials.currency',
  'commercials.arr',
  'commercials.pipelineValue',
  'commercials.contractValue',
  'commercials.contractTermMonths',
  'commercials.renewalDate',
] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

/** Other header names that mean a field (what a spreadsheet tends to call it). */
const ALIASES: Record<string, CsvField> = { stage: 'lifecycleStage', externalid: 'externalId' };

/** Header and field names compare without case, spaces, `.`, `_` or `-`: "Lifecycle Stage" is lifecycleStage, "Contact email" contact.email. */
const normalize = (name: string) => name.toLowerCase().replace(/[\s._-]+/g, '');
const BY_NAME = new Map<string, CsvField>([...CSV_FIELDS.map((f) => [normalize(f), f] as const), ...Object.entries(ALIASES)]);

/** The field a header name means, if any. */
export const fieldNamed = (name: string): CsvField | undefined => BY_NAME.get(normalize(name));
