import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import type { CsvCell } from '../../../../shared/csv/csv-http';
import { badUserInput } from '../../../../shared/errors';
import { LifecycleStage, Region, Segment } from '../entities/enums';
import { readCommercials } from '../services/commercials';
import type { CustomerRow } from '../sync/customer-rows';

/** The customers export's columns (docs/csv.md); the field columns import back unchanged. */
export const CUSTOMER_EXPORT_COLUMNS = [
  'id',
  'name',
  'domain',
  'segment',
  'region',
  'lifecycleStage',
  'ownerPartnerId',
  'ownerPartnerName',
  'version',
  'createdAt',
  'updatedAt',
  'commercials.currency',
  'commercials.arr',
  'commercials.pipelineValue',
  'commercials.contractValue',
  'commercials.contractTermMonths',
  'commercials.renewalDate',
] as const;

/** Narrows the export the way CustomerFilter narrows `customers`. */
export interface CustomerExportFilter {
  segment?: string;
  region?: string;
  lifecycleStage?: string;
}

const PAGE = 500;

/** A customer row as the export reads it: the record without its contacts and context, with its owner's name. */
type ExportRow = Omit<CustomerRow, 'contacts' | 'context'> & { owner_name: string | null };

function checkFilter(f: CustomerExportFilter) {
  const bad = (field: keyof CustomerExportFilter, values: object) => {
    if (f[field] !== undefined && !(Object.values(values) as string[]).includes(f[field]!)) {
      throw badUserInput(`${field} must be one of ${Object.values(values).join(', ')}`, [{ field, message: 'unknown value' }]);
    }
  };
  bad('segment', Segment);
  bad('region', Region);
  bad('lifecycleStage', LifecycleStage);
}

/**
 * The customers `customers` would list to this caller (internal teams all; a partner those
 * it holds access to; row-level security besides), oldest first, a page of 500 per two
 * statements (the records with their owners' names, then their figures). Commercial figures
 * appear for the owner and internal teams only, as `Customer.commercials` shows them.
 */
export async function* customerExportPages(db: DataSource, identity: Identity, filter: CustomerExportFilter): AsyncGenerator<CsvCell[][]> {
  checkFilter(filter);
  const internal = isInternal(identity);
  let after: [string, string] | null = null;
  for (;;) {
    const params: unknown[] = [internal, identity.partnerId ?? null, PAGE];
    const where = [`($1::boolean OR EXISTS (SELECT 1 FROM accounts.customer_access a WHERE a.customer_id = c.id AND a.partner_id = $2::uuid))`];
    if (filter.segment) where.push(`c.segment = $${params.push(filter.segment)}`);
    if (filter.region) where.push(`c.region = $${params.push(filter.region)}`);
    if (filter.lifecycleStage) where.push(`c.lifecycle_stage = $${params.push(filter.lifecycleStage)}`);
    if (after) where.push(`(c.created_at, c.id) > ($${params.push(after[0])}::timestamptz, $${params.push(after[1])}::uuid)`);
    const rows: ExportRow[] = await db.query(
      `SELECT c.id, c.name, c.domain, c.segment, c.region, c.lifecycle_stage, c.owner_partner_id, p.name AS owner_name, c.version, c.created_at, c.updated_at
         FROM accounts.customers c LEFT JOIN accounts.partners p ON p.id = c.owner_partner_id
        WHERE ${where.join(' AND ')}
        ORDER BY c.created_at, c.id LIMIT $3`,
      params,
    );
    if (rows.length === 0) return;
    const mayFigure = rows.filter((r) => internal || (!!r.owner_partner_id && r.owner_partner_id === identity.partnerId)).map((r) => r.id);
    const figures = await readCommercials(db.manager, mayFigure);
    yield rows.map((r) => {
      const f = figures.get(r.id);
      return [
        r.id,
        r.name,
        r.domain,
        r.segment,
        r.region,
        r.lifecycle_stage,
        r.owner_partner_id,
        r.owner_name,
        r.version,
        new Date(r.created_at),
        new Date(r.updated_at),
        f?.currency,
        f?.arr,
        f?.pipelineValue,
        f?.contractValue,
        f?.contractTermMonths,
        f?.renewalDate,
      ];
    });
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = [new Date(last.created_at).toISOString(), last.id];
  }
}
