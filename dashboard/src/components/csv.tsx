import { useState } from 'preact/hooks';
import { authHeaders, type Credential } from '../api';
import { CSV_FIELDS, fieldNamed } from '../../../shared/csv/customer-csv-columns';
import { parseCsv, readHeader, type Delimiter } from '../csv-text';

/** The field a column is mapped to at first: the one its header names, as the hub would take it. */
const defaultField = (column: string): string => fieldNamed(column) ?? '';

const EXPORTS = [
  { path: '/export/customers.csv', label: 'Customers' },
  { path: '/export/inbox.csv', label: 'Inbox' },
  { path: '/export/tasks.csv', label: 'Tasks' },
  { path: '/export/scorecard.csv', label: 'Scorecard' },
];
const DELIMITER_NAME: Record<Delimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };
const PREVIEW_ROWS = 20;

interface Outcome {
  dryRun: boolean;
  counts: Record<string, number>;
  header: string[];
  rows: string[][];
  total: number;
  download: string;
}

/** What the hub said when it refused the request. */
async function failure(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    return body.error?.message ?? `The hub answered ${res.status}`;
  } catch {
    return `The hub answered ${res.status}`;
  }
}

/** Saves a response body as a file the browser downloads. */
function save(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Spreadsheet import and exports: choose a CSV file, see its header and map its columns to
 * fields, dry-run it (outcome counts and the first rows, nothing written), apply it, download
 * the result file; and download the CSV exports. All through the hub's CSV routes with the
 * signed-in API key, so the hub applies the same rules and visibility as to the API.
 */
export function CsvPanel({ credential }: { credential: Credential }) {
  const [file, setFile] = useState<File | null>(null);
  const [delimiter, setDelimiter] = useState<Delimiter>(',');
  const [columns, setColumns] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [system, setSystem] = useState('spreadsheet');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    setOutcome(null);
    setError(null);
    if (!chosen) return setColumns([]);
    const header = await readHeader(chosen);
    setDelimiter(header.delimiter);
    setColumns(header.columns);
    setMapping(Object.fromEntries(header.columns.map((c) => [c, defaultField(c)])));
  };

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const params = new URLSearchParams({ system, dryRun: String(dryRun), delimiter: DELIMITER_NAME[delimiter], mapping: JSON.stringify(mapping) });
      const res = await fetch(`/import/customers.csv?${params}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { ...authHeaders(credential), 'content-type': 'text/csv' },
        body: file,
      });
      if (!res.ok) throw new Error(await failure(res));
      const text = await res.text();
      const [header = [], ...rows] = parseCsv(text);
      const at = header.indexOf('outcome');
      const counts: Record<string, number> = {};
      for (const r of rows) counts[r[at] ?? ''] = (counts[r[at] ?? ''] ?? 0) + 1;
      setOutcome({
        dryRun,
        counts,
        header,
        rows: rows.slice(0, PREVIEW_ROWS),
        total: rows.length,
        download: URL.createObjectURL(new Blob([text], { type: 'text/csv' })),
      });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const download = async (path: string) => {
    setError(null);
    const res = await fetch(path, { credentials: 'same-origin', headers: authHeaders(credential) });
    if (!res.ok) return setError(await failure(res));
    save(await res.blob(), path.split('/').pop()!);
  };

  return (
    <section class="panel csv" data-testid="csv-panel">
      <h2>Spreadsheets</h2>
      <div class="csv-exports">
        Download:{' '}
        {EXPORTS.map((e) => (
          <button type="button" data-testid={`export-${e.label.toLowerCase()}`} onClick={() => void download(e.path)}>
            {e.label}
          </button>
        ))}
      </div>
      <form class="csv-import" onSubmit={(e) => e.preventDefault()}>
        <label>
          Customers CSV{' '}
          <input type="file" name="csvFile" accept=".csv,text/csv" onChange={(e) => void choose((e.target as HTMLInputElement).files?.[0] ?? null)} />
        </label>
        <label>
          System{' '}
          <input
            name="system"
            value={system}
            onInput={(e) => setSystem((e.target as HTMLInputElement).value)}
            title="Your system's name: external ids are unique within it"
          />
        </label>
        {columns.length > 0 && (
          <table class="csv-mapping" data-testid="csv-mapping">
            <caption>Header ({DELIMITER_NAME[delimiter]}-separated): map each column to a field</caption>
            <tbody>
              {columns.map((c) => (
                <tr>
                  <th scope="row">{c}</th>
                  <td>
                    <select name={`map:${c}`} value={mapping[c] ?? ''} onChange={(e) => setMapping({ ...mapping, [c]: (e.target as HTMLSelectElement).value })}>
                      <option value="">(ignore)</option>
                      {CSV_FIELDS.map((f) => (
                        <option value={f}>{f}</option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <button type="button" name="dryRun" disabled={!file || busy} onClick={() => void run(true)}>
          Dry run
        </button>
        <button type="button" name="apply" disabled={!file || busy} onClick={() => void run(false)}>
          Apply
        </button>
        {busy && <span class="loading">Working…</span>}
      </form>
      {error && (
        <p class="error" role="alert" data-testid="csv-error">
          {error}
        </p>
      )}
      {outcome && (
        <div class="csv-outcome" data-testid="csv-outcome">
          <p>
            {outcome.dryRun ? 'Dry run (nothing written)' : 'Applied'}: {outcome.total} rows ·{' '}
            {Object.entries(outcome.counts).map(([k, n]) => (
              <span class="csv-count" data-outcome={k}>
                {k} {n}{' '}
              </span>
            ))}
            <a href={outcome.download} download={outcome.dryRun ? 'customers-dry-run.csv' : 'customers-import-result.csv'} data-testid="csv-result">
              Download the result CSV
            </a>
          </p>
          <table>
            <thead>
              <tr>
                {outcome.header.map((h) => (
                  <th>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {outcome.rows.map((r) => (
                <tr>
                  {r.map((c) => (
                    <td>{c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
