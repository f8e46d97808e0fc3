import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CRM_ROWS, CRM_SYSTEM, type RunSummary } from '../../examples/partner-sync';
import { repoRoot } from '../../shared/paths';
import { DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { DEMO_HANDOFFS } from '../../subgraphs/handoffs/src/seed';
import { gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const run = promisify(execFile);
const partner = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!;
const ACME = partner('acme');
const GLOBEX = partner('globex');
const BRIGHTWAVE = partner('brightwave');
const INTERNAL = partner('revops');
/** The demo handoff proposed to Acme with everything its playbook asks for. */
const DEMO_PROPOSAL = DEMO_HANDOFFS.find((h) => h.to === ACME.id && h.outcome.state === 'PROPOSED')!;
const heldBy = (p: { id: string }) => DEMO_CUSTOMERS.filter((c) => c.ownerPartnerId === p.id);

const PROPOSE = `mutation($input: ProposeHandoffInput!) { proposeHandoff(input: $input) { id } }`;
const HANDOFF = `query($id: ID!) { handoff(id: $id) { state reasonCode reason customer { owner { id } } } }`;

/**
 * examples/partner-sync.ts run the way docs/client.md says (`npm run example:partner-sync`)
 * against a whole hub with the demo data, twice: the hub's state afterwards is what the
 * example claims, and the second run resumes from the cursor file.
 */
describe('examples/partner-sync', () => {
  let hub: TestHub;
  let dir: string;

  beforeAll(async () => {
    // The first run reads the demo history (about 1,600 changes, more than the default cost
    // budget allows at once): the client would wait it out, which only makes the test slow.
    hub = await startTestHub({ env: { HUB_COST_BUCKET_SIZE: '100000', HUB_COST_RESTORE_RATE: '100000' } });
    dir = mkdtempSync(join(tmpdir(), 'partner-sync-'));
  });
  afterAll(async () => {
    await hub?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function example(cursorFile: string): Promise<{ summary: RunSummary; lines: string[] }> {
    const { stdout } = await run('npm', ['run', '--silent', 'example:partner-sync', '--', cursorFile], {
      cwd: repoRoot(),
      env: { ...process.env, HUB_URL: hub.gatewayUrl, HUB_API_KEY: ACME.apiKey },
      timeout: 60_000,
    });
    const lines = stdout.trim().split('\n');
    return { summary: JSON.parse(lines.at(-1)!) as RunSummary, lines };
  }

  async function propose(customerId: string, moment: string, data: Record<string, unknown>): Promise<string> {
    const res = await gql(
      hub.gatewayUrl,
      PROPOSE,
      {
        input: {
          customerId,
          toPartnerId: ACME.id,
          moment,
          contextPackage: { summary: 'Handed on by the e2e test' },
          customerMessage: 'Acme will contact you.',
          data,
        },
      },
      INTERNAL.apiKey,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.proposeHandoff.id;
  }
  const handoff = async (id: string) => (await gql(hub.gatewayUrl, HANDOFF, { id }, INTERNAL.apiKey)).data!.handoff;

  it('upserts the CRM rows, keeps the feed cursor in a file, accepts complete handoffs and rejects one missing data; a second run resumes from the cursor', async () => {
    // The playbook accepts this without `competitors`; the example's deal desk does not.
    const [globexCustomer, brightwaveCustomer] = [heldBy(GLOBEX)[0]!, heldBy(BRIGHTWAVE)[0]!];
    const incomplete = await propose(globexCustomer.id, 'DIRECT_TO_PARTNER', { dealSize: 50000, products: ['Checkout'], closeDate: '2026-09-30' });
    const cursorFile = join(dir, 'nested', 'partner-sync.cursor');

    const first = await example(cursorFile);
    expect(first.summary).toMatchObject({ resumedAfter: null, upsert: { created: 2, updated: 1, invalid: 0, conflicts: 0 } });
    expect(first.summary.accepted).toEqual([DEMO_PROPOSAL.id]);
    expect(first.summary.rejected).toEqual([incomplete]);
    expect(readFileSync(cursorFile, 'utf8').trim()).toBe(first.summary.cursor);

    // The hub's side of it.
    for (const row of CRM_ROWS) {
      const found = await gql(
        hub.gatewayUrl,
        `query($s: String!, $e: String!) { customerByExternalId(system: $s, externalId: $e) { name context { goals } owner { id } } }`,
        { s: CRM_SYSTEM, e: row.externalId },
        ACME.apiKey,
      );
      expect(found.errors).toBeUndefined();
      expect(found.data!.customerByExternalId.owner).toEqual({ id: ACME.id });
      if (row.name) expect(found.data!.customerByExternalId.name).toBe(row.name);
      expect(found.data!.customerByExternalId.context.goals).toEqual(expect.arrayContaining(row.context?.goals ?? []));
    }
    expect(await handoff(DEMO_PROPOSAL.id)).toMatchObject({ state: 'ACCEPTED', customer: { owner: { id: ACME.id } } });
    const rejected = await handoff(incomplete);
    expect(rejected).toMatchObject({ state: 'REJECTED', reasonCode: 'MISSING_INFORMATION' });
    expect(rejected.reason).toMatch(/competitors/);

    // New work arrives between two runs: the second run reads only what came after its cursor.
    const next = await propose(brightwaveCustomer.id, 'MQL_TO_SQL', {
      leadScore: 75,
      source: 'Partner event',
      useCase: 'One checkout',
      budgetConfirmed: false,
    });
    const pending = await gql(
      hub.gatewayUrl,
      `query($after: String) { changes(after: $after, first: 250) { edges { node { id } } } }`,
      { after: first.summary.cursor },
      ACME.apiKey,
    );
    const newer = pending.data!.changes.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(newer.length).toBeGreaterThan(0);

    const second = await example(cursorFile);
    expect(second.summary).toMatchObject({ resumedAfter: first.summary.cursor, firstChangeId: newer[0], accepted: [next], rejected: [] });
    // The same CRM batch again changes nothing.
    expect(second.summary.upsert).toMatchObject({ created: 0, updated: 0, unchanged: CRM_ROWS.length });
    expect(second.summary.changesRead).toBeLessThan(first.summary.changesRead);
    expect(second.summary.changesRead).toBeGreaterThanOrEqual(newer.length);
    expect(readFileSync(cursorFile, 'utf8').trim()).toBe(second.summary.cursor);
    expect(await handoff(next)).toMatchObject({ state: 'ACCEPTED' });
  }, 120_000);
});
