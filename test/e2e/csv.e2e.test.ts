import { request as httpRequest } from 'node:http';
import { parse } from 'csv-parse/sync';
import { DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';
import { until } from '../../subgraphs/accounts/test/webhook-receiver';

const partner = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!;
const ACME = partner('acme');
const GLOBEX = partner('globex');
const REVOPS = partner('revops');
const BATCH_ROWS = 100;
/** Short, so that a test can outlast it: a CSV upload has its own, longer deadline. */
const REQUEST_TIMEOUT_MS = 3000;

type Row = Record<string, string>;

/** A CSV body as the hub answers it: records keyed by the header (the BOM dropped). */
const records = (text: string): Row[] => parse(text, { bom: true, columns: true, skip_empty_lines: true });

describe('CSV import and export through the gateway', () => {
  let hub: TestHub;
  let base: string;

  beforeAll(async () => {
    hub = await startTestHub({ env: { HUB_CSV_BATCH_ROWS: String(BATCH_ROWS), HUB_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) } });
    base = hub.gatewayUrl.replace(/\/graphql$/, '');
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });

  const importCsv = async (body: string, query: Record<string, string>, apiKey: string | undefined = ACME.apiKey) => {
    const res = await fetch(`${base}/import/customers.csv?${new URLSearchParams(query)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body,
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const exportCsv = async (path: string, apiKey: string | undefined) => {
    const res = await fetch(`${base}${path}`, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const admin = <T>(sql: string, params: unknown[] = []) => hub.db.asAdmin<T>(sql, params);
  const count = async (sql: string, params: unknown[] = []) => (await admin<{ n: number }>(sql, params))[0]!.n;
  /** The accounts subgraph's batch-size histogram, from its /metrics. */
  const batchMetrics = async () => {
    const text = await (await fetch(hub.subgraphUrls.accounts!.replace(/\/graphql$/, '/metrics'))).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    return {
      calls: value('hub_csv_import_batch_rows_count'),
      rows: value('hub_csv_import_batch_rows_sum'),
      withinBatch: value(`hub_csv_import_batch_rows_bucket\\{le="${BATCH_ROWS}"\\}`),
    };
  };

  it('imports 1,000 rows with 3 bad ones: 997 applied, the 3 reported with reasons, in batches of at most HUB_CSV_BATCH_ROWS', async () => {
    const lines = ['externalId,name,domain,segment,region,lifecycleStage'];
    for (let i = 1; i <= 1000; i++) {
      if (i === 10)
        lines.push(`K-${i},Company ${i},k-${i}.example.com,SMB,NA`); // a column short
      else if (i === 500)
        lines.push(`K-${i},Company ${i},k-${i}.example.com,HUGE,NA,LEAD`); // unknown segment
      else if (i === 999)
        lines.push(`K-${i},Company ${i},k-${i}.example.com,SMB,NA,Dreaming`); // unknown stage
      else lines.push(`K-${i},Company ${i},k-${i}.example.com,SMB,NA,${i % 2 ? 'Lead' : 'mql'}`);
    }
    const before = await batchMetrics();
    const res = await importCsv(lines.join('\n') + '\n', { system: 'acme-sheet' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const result = records(res.text);
    expect(result).toHaveLength(1000);
    // Spreadsheet row numbers: the header is row 1.
    expect(result.map((r) => Number(r.row))).toEqual(Array.from({ length: 1000 }, (_, i) => i + 2));
    const bad = result.filter((r) => r.outcome !== 'CREATED');
    expect(bad.map((r) => [r.externalId, r.outcome, r.reasonCode])).toEqual([
      ['K-10', 'INVALID', 'INVALID_INPUT'],
      ['K-500', 'INVALID', 'INVALID_INPUT'],
      ['K-999', 'INVALID', 'INVALID_INPUT'],
    ]);
    expect(bad[0]!.reason).toBe('The row has 5 columns; the header has 6');
    expect(bad[1]!.reason).toMatch(/^segment: unknown value "HUGE" \(one of SMB, /);
    expect(bad[2]!.reason).toMatch(/^lifecycleStage: unknown value "Dreaming" \(one of LEAD, /);
    expect(result.filter((r) => r.outcome === 'CREATED').every((r) => /^[0-9a-f-]{36}$/.test(r.customerId!))).toBe(true);
    expect(await count(`SELECT count(*)::int AS n FROM accounts.customer_external_ids WHERE system = 'acme-sheet'`)).toBe(997);
    expect(await count(`SELECT count(*)::int AS n FROM accounts.customers WHERE domain LIKE 'k-%.example.com' AND owner_partner_id = $1`, [ACME.id])).toBe(997);
    const [stage] = await admin<{ lifecycle_stage: string }>(`SELECT lifecycle_stage FROM accounts.customers WHERE domain = 'k-2.example.com'`);
    expect(stage!.lifecycle_stage).toBe('MQL');
    // Bounded: the rows went to upsertCustomers in calls of at most BATCH_ROWS.
    const after = await batchMetrics();
    expect(after.rows - before.rows).toBe(997);
    expect(after.calls - before.calls).toBe(10);
    expect(after.withinBatch - before.withinBatch).toBe(after.calls - before.calls);
  }, 120_000);

  it('reads a BOM, semicolons, quoted newlines and quoted separators, a mapping, and reports the detected header', async () => {
    const file =
      '\uFEFF' +
      'Kunden-ID;Firma;Web;Segment;Region;Notiz\r\n' +
      'S-1;"Müller; Söhne\nGmbH";mueller.example.de;SMB;EMEA;"Zwei\r\nZeilen"\r\n' +
      'S-2;Schulz AG;schulz.example.de;MID_MARKET;EMEA;\r\n';
    const mapping = JSON.stringify({ 'Kunden-ID': 'externalId', Firma: 'name', Web: 'domain', Notiz: 'context.notes' });
    const res = await importCsv(file, { system: 'acme-semicolons', mapping });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-hub-csv-delimiter')).toBe('semicolon');
    expect(JSON.parse(decodeURIComponent(res.headers.get('x-hub-csv-columns')!))).toEqual(['Kunden-ID', 'Firma', 'Web', 'Segment', 'Region', 'Notiz']);
    expect(JSON.parse(decodeURIComponent(res.headers.get('x-hub-csv-ignored-columns')!))).toEqual([]);
    const result = records(res.text);
    expect(result.map((r) => [r.row, r.externalId, r.outcome])).toEqual([
      ['2', 'S-1', 'CREATED'],
      ['3', 'S-2', 'CREATED'],
    ]);
    const [row] = await admin<{ name: string; context: { notes: string } }>(`SELECT name, context FROM accounts.customers WHERE domain = 'mueller.example.de'`);
    expect(row!.name).toBe('Müller; Söhne\nGmbH');
    expect(row!.context.notes).toBe('Zwei\r\nZeilen');
  });

  it('keeps a stray quote as text, and reports an unclosed quote (which runs to the end of the file) as one unreadable record', async () => {
    const file =
      'externalId,name,domain,segment,region\nQ-1,Good One,q-1.example.com,SMB,NA\nQ-2,The "Best" Co,q-2.example.com,SMB,NA\nQ-3,"Never closed,q-3.example.com,SMB,NA\nQ-4,Swallowed,q-4.example.com,SMB,NA\n';
    const result = records((await importCsv(file, { system: 'acme-quotes' })).text);
    expect(result.map((r) => [r.row, r.outcome])).toEqual([
      ['2', 'CREATED'],
      ['3', 'CREATED'],
      ['4', 'INVALID'],
    ]);
    expect(result[2]!.reason).toMatch(/^The line could not be read as CSV: Quote Not Closed/);
    const [row] = await admin<{ name: string }>(`SELECT name FROM accounts.customers WHERE domain = 'q-2.example.com'`);
    expect(row!.name).toBe('The "Best" Co');
  });

  it('a dry run shows the outcomes and writes nothing: no customer, no external id, no event', async () => {
    const file = 'externalId,name,domain,segment,region\nD-1,Dry One,dry-1.example.com,SMB,NA\nD-2,Dry Two,dry-2.example.com,SMB,NA\nD-3,,,,\n';
    const state = async () => ({
      customers: await count(`SELECT count(*)::int AS n FROM accounts.customers`),
      links: await count(`SELECT count(*)::int AS n FROM accounts.customer_external_ids`),
      events: await count(`SELECT count(*)::int AS n FROM eventlog.events`),
    });
    const before = await state();
    const res = await importCsv(file, { system: 'acme-dry', dryRun: 'true' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-hub-csv-dry-run')).toBe('true');
    const result = records(res.text);
    expect(result.map((r) => r.outcome)).toEqual(['CREATED', 'CREATED', 'INVALID']);
    expect(result[2]!.reason).toMatch(/creating one needs name, segment, region/);
    expect(await state()).toEqual(before);
    // Applied, the same file does what the dry run said.
    const applied = records((await importCsv(file, { system: 'acme-dry' })).text);
    expect(applied.map((r) => r.outcome)).toEqual(['CREATED', 'CREATED', 'INVALID']);
    expect((await state()).customers).toBe(before.customers + 2);
  });

  it('reports conflicts: another partner’s customer (an ownership claim) and a stale expectedVersion', async () => {
    const acmeCustomer = DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === ACME.id)!;
    const claim = records(
      (await importCsv(`externalId,name,domain,segment,region\nG-1,Mine now,${acmeCustomer.domain},SMB,NA\n`, { system: 'globex-sheet' }, GLOBEX.apiKey)).text,
    );
    expect(claim).toEqual([expect.objectContaining({ row: '2', externalId: 'G-1', outcome: 'CONFLICT', reasonCode: 'OWNERSHIP_CLAIMED', customerId: '' })]);
    const [name] = await admin<{ name: string }>(`SELECT name FROM accounts.customers WHERE id = $1`, [acmeCustomer.id]);
    expect(name!.name).toBe(acmeCustomer.name);

    await importCsv('externalId,name,domain,segment,region\nV-1,Versioned,v-1.example.com,SMB,NA\n', { system: 'acme-versions' });
    await importCsv('externalId,name\nV-1,Versioned again\n', { system: 'acme-versions' });
    const stale = records((await importCsv('externalId,name,expectedVersion\nV-1,Lost update,1\n', { system: 'acme-versions' })).text);
    expect(stale[0]).toMatchObject({ outcome: 'CONFLICT', reasonCode: 'STALE_VERSION' });
    expect(stale[0]!.reason).toMatch(/version 2, not 1/);
  });

  it('refuses a file without the needed parts before reading rows: no system, no externalId column, an unknown mapping field, an empty file', async () => {
    const file = 'externalId,name\nX-1,One\n';
    const noSystem = await importCsv(file, {});
    expect(noSystem.status).toBe(400);
    expect(JSON.parse(noSystem.text).error).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/"system" query parameter is required/) });
    const noId = await importCsv('name,domain\nOne,one.example.com\n', { system: 'acme-x' });
    expect(noId.status).toBe(400);
    expect(JSON.parse(noId.text).error.message).toMatch(/No column fills externalId/);
    const unknown = await importCsv(file, { system: 'acme-x', mapping: JSON.stringify({ name: 'nickname' }) });
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.text).error.message).toMatch(/"nickname", which is not a field/);
    const empty = await importCsv('', { system: 'acme-x' });
    expect(empty.status).toBe(400);
    expect(JSON.parse(empty.text).error.message).toMatch(/The file is empty/);
  });

  it('refuses unauthenticated calls with 401 and a credential without the scope with 403', async () => {
    for (const [path, method] of [
      ['/import/customers.csv?system=x', 'POST'],
      ['/export/customers.csv', 'GET'],
      ['/export/inbox.csv', 'GET'],
      ['/export/tasks.csv', 'GET'],
      ['/export/scorecard.csv', 'GET'],
    ] as const) {
      for (const authorization of [undefined, 'Bearer hub_not_a_key']) {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: authorization ? { authorization } : {},
          body: method === 'POST' ? 'externalId\nA\n' : undefined,
        });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
      }
    }
    const key = await gql<{ createApiKey: { secret: string } }>(
      hub.gatewayUrl,
      `mutation { createApiKey(input: { label: "read only", scopes: ["customers:read"] }) { secret } }`,
      {},
      ACME.apiKey,
    );
    const readOnly = key.data!.createApiKey.secret;
    const res = await importCsv('externalId\nA\n', { system: 'x' }, readOnly);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text).error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/customers:write/) });
  });

  it('refuses a file over the limit with 413 from its Content-Length, unread', async () => {
    const limit = 100 * 1024 * 1024;
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${base}/import/customers.csv?system=big`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ACME.apiKey}`, 'content-type': 'text/csv', 'content-length': String(limit + 1) },
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode!, body });
        });
      });
      req.on('error', reject);
      req.write('externalId\n');
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      maxBytes: limit,
      message: `The file is ${limit + 1} bytes; an import takes at most ${limit} bytes (100 MiB): split it`,
    });
  });

  /** Sends `parts` to `path` with pauses between them (a slow client); the status and body it gets back. */
  const slowPost = (path: string, parts: string[], pauseMs: number, headers: Record<string, string>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const length = parts.reduce((n, p) => n + Buffer.byteLength(p), 0);
      const req = httpRequest(`${base}${path}`, { method: 'POST', headers: { ...headers, 'content-length': String(length) } });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      const send = async () => {
        for (const [i, part] of parts.entries()) {
          if (i > 0) await new Promise((r) => setTimeout(r, pauseMs));
          if (req.destroyed) return;
          req.write(part);
        }
        req.end();
      };
      void send();
    });

  it('lets an upload arrive for longer than the request timeout, while any other request body keeps that deadline', async () => {
    const auth = { authorization: `Bearer ${ACME.apiKey}`, 'content-type': 'text/csv' };
    const parts = ['externalId,name,domain,segment,region\nL-1,Slow One,l-1.example.com,SMB,NA\n', 'L-2,Slow Two,l-2.example.com,SMB,NA\n'];
    const slowImport = await slowPost('/import/customers.csv?system=acme-slow', parts, REQUEST_TIMEOUT_MS + 1500, auth);
    expect(slowImport.status).toBe(200);
    expect(records(slowImport.body).map((r) => r.outcome)).toEqual(['CREATED', 'CREATED']);
    const query = JSON.stringify({ query: '{ me { role } }' });
    const slowGraphql = await slowPost('/graphql', [query.slice(0, 5), query.slice(5)], REQUEST_TIMEOUT_MS + 1500, {
      authorization: `Bearer ${ACME.apiKey}`,
      'content-type': 'application/json',
    }).catch((err: Error) => ({ status: 0, body: err.message }));
    // Cut before the rest of the body arrives: 408 from the arrival guard, or the connection dropped.
    expect(slowGraphql.status === 408 || slowGraphql.status === 0).toBe(true);
  }, 30_000);

  describe('exports hold only what the API shows the caller', () => {
    it('customers: each partner its own (figures for the owner only), internal teams all', async () => {
      const money = await importCsv(
        'externalId,name,domain,segment,region,commercials.currency,commercials.arr,commercials.contractTermMonths,commercials.renewalDate\nM-1,Money One,m-1.example.com,SMB,NA,eur,1250.50,12,2027-03-31\n',
        { system: 'acme-money' },
      );
      expect(records(money.text)[0]).toMatchObject({ outcome: 'CREATED' });
      const visible = async (partnerId: string) =>
        new Set(
          (await admin<{ customer_id: string }>(`SELECT customer_id FROM accounts.customer_access WHERE partner_id = $1`, [partnerId])).map(
            (r) => r.customer_id,
          ),
        );
      const acme = records((await exportCsv('/export/customers.csv', ACME.apiKey)).text);
      const globex = records((await exportCsv('/export/customers.csv', GLOBEX.apiKey)).text);
      const all = records((await exportCsv('/export/customers.csv', REVOPS.apiKey)).text);
      const acmeSees = await visible(ACME.id);
      const globexSees = await visible(GLOBEX.id);
      expect(acme.length).toBe(acmeSees.size);
      expect(acme.every((r) => acmeSees.has(r.id!))).toBe(true);
      expect(globex.length).toBe(globexSees.size);
      expect(globex.every((r) => globexSees.has(r.id!))).toBe(true);
      const globexOnly = globex.filter((r) => !acmeSees.has(r.id!));
      expect(globexOnly.length).toBeGreaterThan(0);
      expect(acme.some((r) => globexOnly.some((g) => g.id === r.id))).toBe(false);
      expect(all.length).toBe(await count(`SELECT count(*)::int AS n FROM accounts.customers`));
      // Figures: the owner's only; times ISO-8601 UTC; money as exact decimal strings.
      for (const r of acme) if (r.ownerPartnerId !== ACME.id) expect(r['commercials.arr']).toBe('');
      expect(acme.every((r) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(r.createdAt!))).toBe(true);
      const figures = (rows: Row[]) => rows.find((r) => r.domain === 'm-1.example.com');
      expect(figures(acme)).toMatchObject({
        'commercials.currency': 'EUR',
        'commercials.arr': '1250.5',
        'commercials.pipelineValue': '',
        'commercials.contractTermMonths': '12',
        'commercials.renewalDate': '2027-03-31',
      });
      expect(figures(all)).toEqual(figures(acme));
      expect(figures(globex)).toBeUndefined();
    });

    it('inbox and tasks: the caller’s own; naming another partner is FORBIDDEN', async () => {
      const globexInbox = records((await exportCsv('/export/inbox.csv', GLOBEX.apiKey)).text);
      expect(globexInbox.length).toBeGreaterThan(0);
      expect(globexInbox.every((r) => r.toPartnerId === GLOBEX.id && r.state === 'PROPOSED')).toBe(true);
      const acmeInbox = records((await exportCsv('/export/inbox.csv', ACME.apiKey)).text);
      expect(acmeInbox.every((r) => r.toPartnerId === ACME.id)).toBe(true);
      expect(acmeInbox.some((r) => globexInbox.some((g) => g.handoffId === r.handoffId))).toBe(false);
      const peek = await exportCsv(`/export/inbox.csv?partnerId=${GLOBEX.id}`, ACME.apiKey);
      expect(peek.status).toBe(403);
      expect(JSON.parse(peek.text).error.code).toBe('FORBIDDEN');
      const asInternal = await exportCsv(`/export/inbox.csv?partnerId=${GLOBEX.id}`, REVOPS.apiKey);
      expect({ status: asInternal.status, text: asInternal.text.slice(0, 300) }).toMatchObject({ status: 200 });
      expect(records(asInternal.text)).toEqual(globexInbox);

      // Globex accepts what Acme proposed: the playbook's tasks are Globex's, never in Acme's export.
      const fromAcme = globexInbox.find((r) => r.fromPartnerId === ACME.id)!;
      const accepted = await gql(hub.gatewayUrl, `mutation($id: ID!) { acceptHandoff(id: $id) { id state } }`, { id: fromAcme.handoffId }, GLOBEX.apiKey);
      expect(accepted.errors).toBeUndefined();
      const globexTasksRes = await exportCsv('/export/tasks.csv', GLOBEX.apiKey);
      expect({ status: globexTasksRes.status, text: globexTasksRes.text.slice(0, 400) }).toMatchObject({ status: 200 });
      const globexTasks = records(globexTasksRes.text);
      expect(globexTasks.filter((t) => t.handoffId === fromAcme.handoffId).length).toBeGreaterThan(0);
      expect(globexTasks.every((t) => t.assigneePartnerId === GLOBEX.id)).toBe(true);
      const acmeTasks = records((await exportCsv('/export/tasks.csv', ACME.apiKey)).text);
      expect(acmeTasks.every((t) => t.assigneePartnerId === ACME.id)).toBe(true);
      expect(acmeTasks.some((t) => globexTasks.some((g) => g.taskId === t.taskId))).toBe(false);
      expect((await exportCsv(`/export/tasks.csv?partnerId=${GLOBEX.id}`, ACME.apiKey)).status).toBe(403);
      expect(records((await exportCsv(`/export/inbox.csv`, GLOBEX.apiKey)).text).some((r) => r.handoffId === fromAcme.handoffId)).toBe(false);
    });

    it('scorecard: a partner’s rows only, with the filter parameters of ScorecardFilter', async () => {
      const query = '/export/scorecard.csv?period=QUARTER&from=2020-01-01&groupBy=PARTNER&includeTotals=false&collapsePeriods=true';
      // The projection fills asynchronously from the demo data's events.
      let all: Row[] = [];
      await until(async () => {
        await new Promise((r) => setTimeout(r, 250));
        all = records((await exportCsv(query, REVOPS.apiKey)).text);
        return all.some((r) => r.partnerId === GLOBEX.id) && all.some((r) => r.partnerId === ACME.id);
      }, 30_000);
      const acme = records((await exportCsv(query, ACME.apiKey)).text);
      const globex = records((await exportCsv(query, GLOBEX.apiKey)).text);
      expect(acme.length).toBeGreaterThan(0);
      expect(acme.every((r) => r.partnerId === ACME.id)).toBe(true);
      expect(globex.every((r) => r.partnerId === GLOBEX.id)).toBe(true);
      expect(acme).toEqual(all.filter((r) => r.partnerId === ACME.id));
      const naming = await exportCsv(`${query}&partner=${GLOBEX.id}`, ACME.apiKey);
      expect(naming.status).not.toBe(200);
      expect(JSON.parse(naming.text).error.code).toMatch(/FORBIDDEN|NOT_FOUND/);
      const badMoment = await exportCsv('/export/scorecard.csv?moment=NOPE', ACME.apiKey);
      expect(badMoment.status).toBe(400);
      expect(JSON.parse(badMoment.text).error.message).toMatch(/moment: unknown NOPE/);
    }, 60_000);
  });
});
