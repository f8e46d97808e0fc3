import { request } from 'node:http';
import { parse } from 'csv-parse';
import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';
import { arg, benchDatabase, round, runBench, scrape, startServices } from './support';

/**
 * CSV import of 100,000 customers through the gateway (`npm run bench:csv`): one file of
 * about 40 MB streamed to POST /import/customers.csv, the result CSV streamed back and
 * counted. What it shows is that memory stays bounded while the file is far larger than any
 * batch: peak RSS and heap of the gateway and accounts against their baseline before the
 * upload (sampled from /metrics every 250 ms), the rows/s end to end, and the calls of
 * upsertCustomers the import made (accounts' hub_csv_import_batch_rows histogram).
 */
const TOTAL = Number(arg('rows') ?? 100_000);

const HEADER =
  'externalId,name,domain,segment,region,lifecycleStage,contact.name,contact.email,contact.role,contact.phone,context.goals,context.painPoints,context.notes\n';

/** One row of about 400 bytes, like a CRM's spreadsheet export (a quoted cell with a comma and a newline in it). */
function line(n: number): string {
  const domain = `csv-${n}.example.com`;
  return (
    `CSV-${String(n).padStart(7, '0')},CSV Industrial Holdings ${n},${domain},MID_MARKET,EMEA,SQL,` +
    `Alexandra Lindqvist-${n},alexandra.lindqvist@${domain},economic buyer,+46 8 555 01 23,` +
    `Consolidate regional pipelines|Cut onboarding time by half,Three CRMs that disagree|Manual hand-offs by e-mail,` +
    `"Met at the Nordic partner summit, prefers quarterly reviews.\nSecurity review needs SOC 2. Row ${n}."\n`
  );
}

runBench('CSV import', async () => {
  const db = await benchDatabase();
  const svc = await startServices(db, ['accounts', 'gateway']);
  const acme = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;

  let bytes = Buffer.byteLength(HEADER);
  for (let n = 1; n <= TOTAL; n++) bytes += Buffer.byteLength(line(n));

  const memory = async () => {
    const out: Record<string, { rssMiB: number; heapMiB: number }> = {};
    for (const name of ['gateway', 'accounts'] as const) {
      out[name] = {
        rssMiB: round((await scrape(svc[name].url, 'process_resident_memory_bytes')) / 2 ** 20, 1),
        heapMiB: round((await scrape(svc[name].url, 'nodejs_heap_size_used_bytes')) / 2 ** 20, 1),
      };
    }
    return out;
  };
  const baseline = await memory();
  const peak = structuredClone(baseline);
  // Peaks per quarter of the file sent: bounded memory shows as flat quarters, a leak as a climb.
  const quarters = [0, 1, 2, 3].map(() => ({ gatewayHeapMiB: 0, accountsHeapMiB: 0 }));
  let sent = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const now = await memory();
      for (const name of ['gateway', 'accounts'] as const) {
        peak[name]!.rssMiB = Math.max(peak[name]!.rssMiB, now[name]!.rssMiB);
        peak[name]!.heapMiB = Math.max(peak[name]!.heapMiB, now[name]!.heapMiB);
      }
      const q = quarters[Math.min(3, Math.floor((sent / TOTAL) * 4))]!;
      q.gatewayHeapMiB = Math.max(q.gatewayHeapMiB, now.gateway!.heapMiB);
      q.accountsHeapMiB = Math.max(q.accountsHeapMiB, now.accounts!.heapMiB);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const callsBefore = await scrape(svc.accounts.url, 'hub_csv_import_batch_rows_count');

  const started = performance.now();
  const outcomes: Record<string, number> = {};
  const base = svc.gateway.url.replace(/\/graphql$/, '');
  await new Promise<void>((resolve, reject) => {
    const req = request(`${base}/import/customers.csv?system=csv-bench`, {
      method: 'POST',
      headers: { authorization: `Bearer ${acme.apiKey}`, 'content-type': 'text/csv', 'content-length': String(bytes) },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      if (res.statusCode !== 200) return reject(new Error(`import answered ${res.statusCode}`));
      const records = res.pipe(parse({ bom: true, columns: true }));
      records.on('data', (r: { outcome: string }) => void (outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1));
      records.on('end', () => resolve());
      records.on('error', reject);
    });
    // The file is generated as it is sent, waiting whenever the socket is full.
    let n = 0;
    const pump = () => {
      if (n === 0 && !req.write(HEADER)) return void req.once('drain', pump);
      while (n < TOTAL) {
        n++;
        sent = n;
        if (!req.write(line(n))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
  const seconds = (performance.now() - started) / 1000;
  sampling = false;
  await sampler;
  const calls = (await scrape(svc.accounts.url, 'hub_csv_import_batch_rows_count')) - callsBefore;

  const growth = Object.fromEntries(
    (['gateway', 'accounts'] as const).map((name) => [
      name,
      { rssMiB: round(peak[name]!.rssMiB - baseline[name]!.rssMiB, 1), heapMiB: round(peak[name]!.heapMiB - baseline[name]!.heapMiB, 1) },
    ]),
  );
  return {
    rows: TOTAL,
    fileMiB: round(bytes / 2 ** 20, 1),
    seconds: round(seconds, 1),
    rowsPerSecond: Math.round(TOTAL / seconds),
    upsertCalls: calls,
    rowsPerCall: round(TOTAL / calls, 1),
    outcomes,
    baseline,
    peak,
    growth,
    heapPeakByQuarterMiB: quarters,
  };
});
