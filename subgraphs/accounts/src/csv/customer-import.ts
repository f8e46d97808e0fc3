import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { Histogram } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { Identity } from '../../../../shared/auth/identity';
import type { CsvCell } from '../../../../shared/csv/csv-http';
import { badUserInput } from '../../../../shared/errors';
import { registry } from '../../../../shared/observability/metrics';
import { UpsertOutcome, type UpsertRowResult } from '../sync/upsert-result.types';
import type { UpsertCustomerInput } from '../sync/upsert.inputs';
import { MAX_UPSERT_ROWS, upsertCustomers } from '../sync/upsert.service';
import { resolveMapping, rowFromRecord, type ColumnMapping } from './customer-csv-fields';

/** The result file's columns, one record per data row of the upload, in file order. */
export const IMPORT_RESULT_COLUMNS = ['row', 'externalId', 'outcome', 'reasonCode', 'reason', 'customerId', 'changedFields', 'ignoredFields'] as const;

/** Why the import stopped before the end of the file (the last record of the result says so). */
export const IMPORT_STOPPED = 'IMPORT_STOPPED';

export type Delimiter = ',' | ';' | '\t';
const DELIMITERS: Delimiter[] = [',', ';', '\t'];

/** What an import is asked to do (the route's query parameters, checked). */
export interface ImportOptions {
  system: string;
  /** Header name → field name; columns it leaves out map by their own name. */
  mapping?: Record<string, string>;
  dryRun: boolean;
  /** Unset: detected from the header line. */
  delimiter?: Delimiter;
  /** Rows per upsertCustomers call (≤ 1,000). */
  batchRows: number;
  /** Bytes the upload may have (counted as it arrives, beside the gateway's Content-Length check). */
  maxBytes: number;
}

/** What the import reports as it goes; the route writes the records to the response. */
export interface ImportSink {
  /** Called once, after the header is read and mapped, before any row is applied. */
  header(info: { delimiter: Delimiter; columns: string[]; ignoredColumns: string[] }): void;
  /** One result record; resolves when the client has room for more (back-pressure). */
  write(record: CsvCell[]): Promise<void>;
  /** The client went away: stop reading. */
  readonly closed: boolean;
}

/** Rows per upsertCustomers call of CSV imports: the bound on what an import holds at once. */
export const csvImportBatchRows = new Histogram({
  name: 'hub_csv_import_batch_rows',
  help: 'Rows sent to upsertCustomers per call by CSV imports',
  buckets: [1, 10, 50, 100, 250, 500, 1000],
  registers: [registry],
});

export class UploadTooLarge extends Error {}

/** A record as it comes out of the parser: its row number in the file (header = 1), or a record it could not read. */
type Parsed = { row: number; cells: string[]; skipped: { row: number; reason: string }[] };

/** Counts delimiters on the first line (outside quotes) and picks the most frequent; comma on a tie or none. */
export function detectDelimiter(head: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of head.replace(/^\uFEFF/, '')) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch as Delimiter)) counts.set(ch as Delimiter, counts.get(ch as Delimiter)! + 1);
  }
  let best: Delimiter = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/**
 * The upload with its first line read ahead (to detect the delimiter), the rest streamed
 * as it arrives; more than `maxBytes` fails the stream with {@link UploadTooLarge}.
 */
async function readAhead(body: AsyncIterable<Buffer | string>, maxBytes: number): Promise<{ head: string; source: Readable }> {
  const iterator = body[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  const count = (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) throw new UploadTooLarge(`The file is larger than ${maxBytes} bytes`);
    return chunk;
  };
  let done = false;
  // The first line, or 64 KiB of it: enough to count delimiters.
  while (size < 64 * 1024) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = count(Buffer.from(next.value));
    chunks.push(chunk);
    if (chunk.includes(10)) break;
  }
  const head = Buffer.concat(chunks);
  async function* rest() {
    yield head;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield count(Buffer.from(next.value));
    }
  }
  return { head: head.toString('utf8'), source: Readable.from(rest(), { objectMode: false }) };
}

/**
 * Imports customers from a CSV upload through {@link upsertCustomers}, `batchRows` rows per
 * call, reporting every data row's outcome in file order. Memory stays bounded whatever the
 * file's size: the parser reads only while a batch is being gathered, and the next batch is
 * not read until the previous one is applied and its results have been taken by the client,
 * so a slow database or a slow reader slows the upload instead of filling memory.
 *
 * Records the parser cannot read (an unclosed quote, a stray quote) and records with the
 * wrong number of columns or an unusable cell are INVALID with the reason; the file goes on.
 * A dry run runs each batch's upsert and rolls it back: the outcomes are what applying would
 * give against the data as it is now, and nothing is written (each batch on its own, so a
 * row repeating an earlier batch's new external id reads CREATED again).
 */
export async function importCustomersCsv(db: DataSource, identity: Identity, body: AsyncIterable<Buffer | string>, opts: ImportOptions, sink: ImportSink) {
  const batchRows = Math.min(Math.max(1, opts.batchRows), MAX_UPSERT_ROWS);
  const { head, source } = await readAhead(body, opts.maxBytes);
  const delimiter = opts.delimiter ?? detectDelimiter(head);

  let counter = 0;
  let pendingSkips: { row: number; reason: string }[] = [];
  const meta: Omit<Parsed, 'cells'>[] = [];
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    // A stray quote inside a field is kept as text (what spreadsheets write for one), not an error that desynchronises the rest.
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // One record (a cell with quoted newlines included) may not hold more than this.
    max_record_size: 1024 * 1024,
    on_skip: (err: CsvError | undefined) => {
      pendingSkips.push({ row: ++counter, reason: `The line could not be read as CSV: ${err?.message ?? 'malformed'}` });
      return undefined;
    },
    // Called in file order, once per record the stream then yields: the queue pairs them up.
    on_record: (cells: string[]) => {
      meta.push({ row: ++counter, skipped: pendingSkips });
      pendingSkips = [];
      return cells;
    },
  });
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);

  let header: string[] | undefined;
  let mapping: ColumnMapping | undefined;
  /** The batch being gathered: each slot a data row, in file order, with its input or its problem. */
  let slots: { row: number; externalId: string; input?: UpsertCustomerInput; invalid?: string }[] = [];

  const flush = async () => {
    const inputs = slots.filter((s) => s.input);
    const results = new Map<number, UpsertRowResult>();
    if (inputs.length > 0) {
      csvImportBatchRows.observe(inputs.length);
      const res = await upsertCustomers(
        db,
        identity,
        opts.system,
        inputs.map((s) => s.input!),
        { dryRun: opts.dryRun },
      );
      // upsertCustomers reports rows by their index in the call.
      for (const r of res.rows) results.set(inputs[r.index]!.row, r);
    }
    for (const s of slots) {
      const r = results.get(s.row);
      if (!r) await sink.write([s.row, s.externalId, UpsertOutcome.INVALID, 'INVALID_INPUT', s.invalid ?? 'invalid row', null, '', '']);
      else {
        // The service names fields by their place in its call ("input[3].name"): in a file, the row says where.
        const reason = r.reason?.replace(/input\[\d+\]\./g, '') ?? null;
        await sink.write([s.row, r.externalId, r.outcome, r.reasonCode, reason, r.customerId, r.changedFields.join('|'), r.ignoredFields.join('|')]);
      }
      if (sink.closed) return;
    }
    slots = [];
  };

  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      const parsed: Parsed = { ...meta.shift()!, cells };
      for (const skip of parsed.skipped) slots.push({ row: skip.row, externalId: '', invalid: skip.reason });
      if (!header) {
        const columns = parsed.cells.map((c) => c.trim());
        const resolved = resolveMapping(columns, opts.mapping);
        header = columns;
        mapping = resolved.mapping;
        sink.header({ delimiter, columns, ignoredColumns: resolved.ignored });
        continue;
      }
      const externalAt = [...mapping!].find(([, f]) => f === 'externalId')![0];
      const externalId = (parsed.cells[externalAt] ?? '').trim();
      if (parsed.cells.length !== header.length) {
        slots.push({ row: parsed.row, externalId, invalid: `The row has ${parsed.cells.length} columns; the header has ${header.length}` });
      } else {
        const made = rowFromRecord(parsed.cells, mapping!);
        if (made.input) slots.push({ row: parsed.row, externalId, input: made.input });
        else slots.push({ row: parsed.row, externalId, invalid: made.problems.join('; ') });
      }
      if (slots.length >= batchRows) await flush();
      if (sink.closed) {
        source.destroy();
        return;
      }
    }
    for (const skip of pendingSkips) slots.push({ row: skip.row, externalId: '', invalid: skip.reason });
    if (!header) throw badUserInput('The file is empty: it needs a header row naming its columns', [{ field: 'file', message: 'empty' }]);
    await flush();
  } catch (err) {
    source.destroy();
    // Before the header: the route refuses the whole file (400 / 413). After: what was applied
    // stays applied, and the result says where the file stopped.
    if (!header || err instanceof UploadTooLarge) throw err;
    const reason =
      (err as { code?: string }).code?.startsWith('CSV_') === true
        ? `The file could not be read past this point (${(err as Error).message}); rows from here on were not applied`
        : 'The import stopped here (the hub could not apply this batch); rows from here on were not applied: send them again';
    await sink.write([slots[0]?.row ?? counter, '', 'FAILED', IMPORT_STOPPED, reason, null, '', '']);
    if ((err as { code?: string }).code?.startsWith('CSV_') !== true) throw err;
  }
}
