import type { Express, Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import type { CsvConfig } from '../../../../shared/config';
import { CsvResponse, csvCaller, queryParam, refuse, refuseError, streamCsvExport } from '../../../../shared/csv/csv-http';
import { withTenant } from '../../../../shared/db/tenant-context';
import { badUserInput } from '../../../../shared/errors';
import type { Logger } from '../../../../shared/logger';
import { CUSTOMER_EXPORT_COLUMNS, customerExportPages } from './customer-export';
import { IMPORT_RESULT_COLUMNS, importCustomersCsv, UploadTooLarge, type Delimiter, type ImportOptions } from './customer-import';

/** Where the gateway forwards POST /import/customers.csv and GET /export/customers.csv (the same paths). */
export const CUSTOMER_IMPORT_PATH = '/import/customers.csv';
export const CUSTOMER_EXPORT_PATH = '/export/customers.csv';

const DELIMITER_NAMES: Record<string, Delimiter> = { ',': ',', comma: ',', ';': ';', semicolon: ';', '\t': '\t', tab: '\t' };

/** The import's query parameters (docs/csv.md), checked: BAD_USER_INPUT names the one at fault. */
function importOptions(req: Request, csv: CsvConfig): ImportOptions {
  const system = queryParam(req, 'system');
  if (!system)
    throw badUserInput('The "system" query parameter is required: your system\'s name, as upsertCustomers takes it (e.g. "acme-crm")', [
      { field: 'system', message: 'required' },
    ]);
  const dry = queryParam(req, 'dryRun') ?? 'false';
  if (!['true', 'false', '1', '0'].includes(dry)) throw badUserInput('dryRun must be true or false', [{ field: 'dryRun', message: 'not a boolean' }]);
  const d = queryParam(req, 'delimiter');
  const delimiter = d === undefined || d === '' || d === 'auto' ? undefined : DELIMITER_NAMES[d.toLowerCase()];
  if (d !== undefined && d !== '' && d !== 'auto' && !delimiter) {
    throw badUserInput('delimiter must be auto, comma, semicolon or tab', [{ field: 'delimiter', message: 'unknown delimiter' }]);
  }
  const rawMapping = queryParam(req, 'mapping');
  let mapping: Record<string, string> | undefined;
  if (rawMapping) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawMapping);
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
      throw badUserInput('mapping must be a JSON object of column name → field name, e.g. {"Company":"name","Stage":"lifecycleStage"}', [
        { field: 'mapping', message: 'not a JSON object of strings' },
      ]);
    }
    mapping = parsed as Record<string, string>;
  }
  return { system, mapping, dryRun: dry === 'true' || dry === '1', delimiter, batchRows: csv.batchRows, maxBytes: csv.maxBytes };
}

/**
 * The CSV routes of accounts, beside /graphql. Only the gateway reaches them, with the
 * caller's signed identity; the import runs upsertCustomers' rules and access (the
 * `customers:write` scope; which fields a partner may write is the merge rules' call), the
 * export lists what `customers` lists.
 */
export function mountCustomerCsvRoutes(app: Express, opts: { db: DataSource; identitySecret: string; log: Logger; csv: CsvConfig }) {
  const { db, log, csv } = opts;

  app.post(CUSTOMER_IMPORT_PATH, async (req: Request, res: Response) => {
    const identity = csvCaller(req, res, opts.identitySecret, 'customers:write');
    if (!identity) return;
    const length = req.header('content-length');
    if (length === undefined) return refuse(res, 'LENGTH_REQUIRED', 'Send the file with a Content-Length header');
    if (Number(length) > csv.maxBytes) {
      return refuse(res, 'PAYLOAD_TOO_LARGE', `The file is ${length} bytes; an import takes at most ${csv.maxBytes} bytes (split it)`, {
        maxBytes: csv.maxBytes,
      });
    }
    let options: ImportOptions;
    try {
      options = importOptions(req, csv);
    } catch (err) {
      return refuseError(res, err, log);
    }
    const out = new CsvResponse(res, options.dryRun ? 'customers-dry-run.csv' : 'customers-import-result.csv', IMPORT_RESULT_COLUMNS);
    try {
      await withTenant(identity, () =>
        importCustomersCsv(db, identity, req, options, {
          header: (h) =>
            res.set({
              'x-hub-csv-delimiter': h.delimiter === '\t' ? 'tab' : h.delimiter === ';' ? 'semicolon' : 'comma',
              'x-hub-csv-columns': encodeURIComponent(JSON.stringify(h.columns)),
              'x-hub-csv-ignored-columns': encodeURIComponent(JSON.stringify(h.ignoredColumns)),
              'x-hub-csv-dry-run': String(options.dryRun),
            }),
          write: (record) => out.write(record),
          get closed() {
            return out.closed;
          },
        }),
      );
      await out.end();
    } catch (err) {
      if (err instanceof UploadTooLarge) return refuse(res, 'PAYLOAD_TOO_LARGE', `${err.message}; split it`, { maxBytes: csv.maxBytes });
      if (res.headersSent) {
        log.error({ err: (err as Error).message }, 'CSV import stopped');
        return void (await out.end().catch(() => res.destroy()));
      }
      refuseError(res, err, log);
    }
  });

  app.get(CUSTOMER_EXPORT_PATH, (req: Request, res: Response) => {
    const identity = csvCaller(req, res, opts.identitySecret, 'customers:read');
    if (!identity) return;
    const filter = { segment: queryParam(req, 'segment'), region: queryParam(req, 'region'), lifecycleStage: queryParam(req, 'lifecycleStage') };
    return withTenant(identity, () => streamCsvExport(res, 'customers.csv', CUSTOMER_EXPORT_COLUMNS, customerExportPages(db, identity, filter), log));
  });
}
