import { validateSync, type ValidationError } from 'class-validator';
import { Contact, CustomerContext } from '../entities/customer-parts';
import { LifecycleStage, Region, Segment } from '../entities/enums';
import { parseCommercials } from '../services/commercials';
import { normalizeDomain } from '../services/domain';
import { MAX_CONTACTS, type IncomingFields } from './merge-rules';
import type { UpsertCustomerInput } from './upsert.inputs';

/** A row that passed validation, normalized. */
export interface PreparedRow {
  index: number;
  externalId: string;
  fields: IncomingFields;
  expectedVersion: number | null;
}

export interface InvalidRow {
  index: number;
  externalId: string;
  fields: string[];
  reason: string;
}

const flatten = (errors: ValidationError[], prefix: string): { field: string; message: string }[] =>
  errors.flatMap((e) => {
    const field = `${prefix}.${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });

const asInstance = <T extends object>(cls: new () => T, value: unknown): T => (value instanceof cls ? value : Object.assign(new cls(), value));

/**
 * Validates and normalizes each row on its own. A bad row becomes INVALID naming its fields;
 * the others go on. A repeated external id is INVALID past its first occurrence.
 */
export function prepareRows(rows: UpsertCustomerInput[]): { valid: PreparedRow[]; invalid: InvalidRow[] } {
  const valid: PreparedRow[] = [];
  const invalid: InvalidRow[] = [];
  const firstIndex = new Map<string, number>();
  rows.forEach((row, index) => {
    const at = `input[${index}]`;
    const problems: { field: string; message: string }[] = [];
    const externalId = (row.externalId ?? '').trim();
    // Postgres text cannot hold NUL; refuse it here rather than fail the batch's statement.
    const nul = JSON.stringify(row).includes('\\u0000');
    if (nul) problems.push({ field: at, message: 'contains a NUL character' });
    if (!externalId || externalId.length > 200) problems.push({ field: `${at}.externalId`, message: 'must be 1 to 200 characters' });
    else if (firstIndex.has(externalId)) problems.push({ field: `${at}.externalId`, message: `repeats input[${firstIndex.get(externalId)}] in this batch` });
    else firstIndex.set(externalId, index);

    const fields: IncomingFields = {};
    if (row.name !== undefined && row.name !== null) {
      const name = row.name.trim();
      if (!name || name.length > 200) problems.push({ field: `${at}.name`, message: 'must be 1 to 200 characters' });
      else fields.name = name;
    }
    if (row.domain !== undefined && row.domain !== null && row.domain.trim() !== '') {
      try {
        fields.domain = normalizeDomain(row.domain, `${at}.domain`) ?? undefined;
      } catch {
        problems.push({ field: `${at}.domain`, message: 'not a valid domain (e.g. "acme.com")' });
      }
    }
    // Enums arrive validated by GraphQL; checked again for callers of the service itself.
    if (row.segment != null) {
      if (Object.values(Segment).includes(row.segment)) fields.segment = row.segment;
      else problems.push({ field: `${at}.segment`, message: 'unknown segment' });
    }
    if (row.region != null) {
      if (Object.values(Region).includes(row.region)) fields.region = row.region;
      else problems.push({ field: `${at}.region`, message: 'unknown region' });
    }
    if (row.lifecycleStage != null) {
      if (Object.values(LifecycleStage).includes(row.lifecycleStage)) fields.lifecycleStage = row.lifecycleStage;
      else problems.push({ field: `${at}.lifecycleStage`, message: 'unknown lifecycle stage' });
    }
    if (row.contacts != null) {
      if (row.contacts.length > MAX_CONTACTS) problems.push({ field: `${at}.contacts`, message: `at most ${MAX_CONTACTS}` });
      else {
        const contacts = row.contacts.map((c) => asInstance(Contact, c));
        contacts.forEach((c, i) => problems.push(...flatten(validateSync(c), `${at}.contacts[${i}]`)));
        fields.contacts = contacts.map((c) => ({ name: c.name?.trim(), email: c.email ?? null, role: c.role ?? null, phone: c.phone ?? null }));
      }
    }
    if (row.context != null) {
      const context = asInstance(CustomerContext, { ...row.context, goals: row.context.goals ?? [], painPoints: row.context.painPoints ?? [] });
      problems.push(...flatten(validateSync(context), `${at}.context`));
      fields.context = context;
    }
    if (row.commercials != null) {
      const { patch, problems: bad } = parseCommercials(row.commercials, `${at}.commercials`);
      problems.push(...bad);
      if (patch) fields.commercials = patch;
    }
    let expectedVersion: number | null = null;
    if (row.expectedVersion !== undefined && row.expectedVersion !== null) {
      if (!Number.isInteger(row.expectedVersion) || row.expectedVersion < 1)
        problems.push({ field: `${at}.expectedVersion`, message: 'must be a positive integer' });
      else expectedVersion = row.expectedVersion;
    }
    if (problems.length > 0) {
      invalid.push({
        index,
        externalId: externalId || String(row.externalId ?? ''),
        fields: [...new Set(problems.map((p) => p.field))],
        reason: problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      });
    } else {
      valid.push({ index, externalId, fields, expectedVersion });
    }
  });
  return { valid, invalid };
}
