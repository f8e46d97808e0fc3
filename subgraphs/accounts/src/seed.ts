import type { DataSource } from 'typeorm';
import { appendEvents, type NewEvent } from '../../../shared/eventlog/event-log';
import { CUSTOMER_CREATED, PARTNER_CREATED, PERSON_ADDED, type PersonSnapshot } from '../../../shared/eventlog/events';
import { insertApiKey } from './services/api-key.service';
import { writeCommercials, type CommercialsWrite } from './services/commercials';
import { demoCommercials, seedExchangeRates } from './seed-revenue';
import { updateCustomer } from './services/customer.service';
import { updatePartner } from './services/partner.service';
import { LifecycleStage, PartnerKind, PartnerStatus, PartnerTier, Region, Segment } from './entities/enums';
import { PersonRole } from './entities/person.entity';

/**
 * Demo data for `npm start`: fixed ids and keys so README examples work as written.
 * Idempotent: rows that exist are left alone, so a second start changes nothing.
 */
export const DEMO_PARTNERS = [
  {
    id: '00000000-0000-4000-8000-000000000001',
    name: 'HQ Revenue Operations',
    kind: PartnerKind.INTERNAL_TEAM,
    tier: PartnerTier.PLATINUM,
    region: Region.NA,
    apiKey: 'hub_demo_internal_revops',
  },
  {
    id: '00000000-0000-4000-8000-000000000002',
    name: 'HQ Customer Success',
    kind: PartnerKind.INTERNAL_TEAM,
    tier: PartnerTier.PLATINUM,
    region: Region.EMEA,
    apiKey: 'hub_demo_internal_success',
  },
  {
    id: '00000000-0000-4000-8000-000000000011',
    name: 'Acme Reseller',
    kind: PartnerKind.RESELLER,
    tier: PartnerTier.GOLD,
    region: Region.NA,
    apiKey: 'hub_demo_acme_reseller',
  },
  {
    id: '00000000-0000-4000-8000-000000000012',
    name: 'Globex Channel',
    kind: PartnerKind.RESELLER,
    tier: PartnerTier.SILVER,
    region: Region.EMEA,
    apiKey: 'hub_demo_globex_channel',
  },
  {
    id: '00000000-0000-4000-8000-000000000021',
    name: 'Brightwave Agency',
    kind: PartnerKind.AGENCY,
    tier: PartnerTier.GOLD,
    region: Region.EMEA,
    apiKey: 'hub_demo_brightwave_agency',
  },
  {
    id: '00000000-0000-4000-8000-000000000022',
    name: 'Pixelforge Studio',
    kind: PartnerKind.AGENCY,
    tier: PartnerTier.REGISTERED,
    region: Region.APAC,
    apiKey: 'hub_demo_pixelforge_studio',
  },
  {
    id: '00000000-0000-4000-8000-000000000031',
    name: 'Northwind Services',
    kind: PartnerKind.SERVICE_PROVIDER,
    tier: PartnerTier.PLATINUM,
    region: Region.NA,
    apiKey: 'hub_demo_northwind_services',
  },
  {
    id: '00000000-0000-4000-8000-000000000032',
    name: 'Initech Implementations',
    kind: PartnerKind.SERVICE_PROVIDER,
    tier: PartnerTier.SILVER,
    region: Region.LATAM,
    apiKey: 'hub_demo_initech_impl',
  },
] as const;

const P = Object.fromEntries(DEMO_PARTNERS.map((p) => [p.apiKey, p.id]));

/**
 * Two or three people at every demo partner: an ADMIN, and one person for each role the demo
 * playbooks' tasks name for the moments that partner receives (MQL→SQL: SALES_REP,
 * direct→partner: PARTNER_MANAGER, onboarding: ONBOARDING_LEAD, success and renewal:
 * SUCCESS_MANAGER), exactly one per role so role-based assignment has one candidate.
 */
const PEOPLE_BY_KIND: Record<PartnerKind, [string, PersonRole][]> = {
  [PartnerKind.INTERNAL_TEAM]: [
    ['Avery Admin', PersonRole.ADMIN],
    ['Sam Seller', PersonRole.SALES_REP],
    ['Cleo Success', PersonRole.SUCCESS_MANAGER],
  ],
  [PartnerKind.RESELLER]: [
    ['Riley Admin', PersonRole.ADMIN],
    ['Pat Manager', PersonRole.PARTNER_MANAGER],
    ['Sasha Sales', PersonRole.SALES_REP],
  ],
  [PartnerKind.AGENCY]: [
    ['Alex Admin', PersonRole.ADMIN],
    ['Pia Partner', PersonRole.PARTNER_MANAGER],
  ],
  [PartnerKind.SERVICE_PROVIDER]: [
    ['Morgan Admin', PersonRole.ADMIN],
    ['Olu Onboarding', PersonRole.ONBOARDING_LEAD],
    ['Sky Success', PersonRole.SUCCESS_MANAGER],
  ],
};

export const DEMO_PEOPLE = DEMO_PARTNERS.flatMap((p, i) =>
  PEOPLE_BY_KIND[p.kind].map(([name, role], j) => ({
    id: `00000000-0000-4000-a100-${String(i * 10 + j + 1).padStart(12, '0')}`,
    partnerId: p.id,
    name,
    email: `${name.split(' ')[0]!.toLowerCase()}@${p.apiKey.replace(/^hub_demo_/, '').replace(/_/g, '-')}.example.com`,
    role,
  })),
);
const owners = [
  P.hub_demo_acme_reseller,
  P.hub_demo_globex_channel,
  P.hub_demo_brightwave_agency,
  P.hub_demo_pixelforge_studio,
  P.hub_demo_northwind_services,
  P.hub_demo_initech_impl,
  null,
];

const NAMES: [string, string, Segment, Region, LifecycleStage][] = [
  ['Contoso Pharma', 'contoso-pharma.com', Segment.ENTERPRISE, Region.NA, LifecycleStage.SQL],
  ['Fabrikam Logistics', 'fabrikam.io', Segment.MID_MARKET, Region.EMEA, LifecycleStage.MQL],
  ['Tailspin Toys', 'tailspintoys.com', Segment.SMB, Region.NA, LifecycleStage.CLOSED_WON],
  ['Woodgrove Bank', 'woodgrovebank.com', Segment.STRATEGIC, Region.NA, LifecycleStage.ONBOARDING],
  ['Litware Labs', 'litware.dev', Segment.SMB, Region.APAC, LifecycleStage.LEAD],
  ['Adventure Works', 'adventure-works.com', Segment.MID_MARKET, Region.LATAM, LifecycleStage.ACTIVE],
  ['Proseware Health', 'proseware.health', Segment.ENTERPRISE, Region.EMEA, LifecycleStage.OPPORTUNITY],
  ['Lucerne Publishing', 'lucernepublishing.com', Segment.MID_MARKET, Region.EMEA, LifecycleStage.RENEWAL],
  ['Wingtip Airlines', 'wingtip.aero', Segment.ENTERPRISE, Region.APAC, LifecycleStage.SQL],
  ['Coho Winery', 'cohowinery.com', Segment.SMB, Region.NA, LifecycleStage.MQL],
  ['Alpine Ski House', 'alpineskihouse.com', Segment.SMB, Region.EMEA, LifecycleStage.CLOSED_WON],
  ['Blue Yonder Air', 'blueyonderair.com', Segment.MID_MARKET, Region.NA, LifecycleStage.ACTIVE],
  ['City Power & Light', 'cpandl.com', Segment.STRATEGIC, Region.NA, LifecycleStage.RENEWAL],
  ['Datum Corporation', 'adatum.com', Segment.ENTERPRISE, Region.LATAM, LifecycleStage.ONBOARDING],
  ['Fourth Coffee', 'fourthcoffee.com', Segment.SMB, Region.APAC, LifecycleStage.LEAD],
  ['Graphic Design Institute', 'graphicdesigninstitute.com', Segment.SMB, Region.EMEA, LifecycleStage.MQL],
  ['Humongous Insurance', 'humongousinsurance.com', Segment.STRATEGIC, Region.EMEA, LifecycleStage.OPPORTUNITY],
  ['Margie Travel', 'margiestravel.com', Segment.MID_MARKET, Region.APAC, LifecycleStage.ACTIVE],
  ['Northridge Video', 'northridgevideo.com', Segment.SMB, Region.LATAM, LifecycleStage.SQL],
  ['Trey Research', 'treyresearch.net', Segment.ENTERPRISE, Region.NA, LifecycleStage.CLOSED_WON],
];

export const DEMO_CUSTOMERS = NAMES.map(([name, domain, segment, region, lifecycleStage], i) => ({
  id: `00000000-0000-4000-9000-${String(i + 1).padStart(12, '0')}`,
  name,
  domain,
  segment,
  region,
  lifecycleStage,
  ownerPartnerId: owners[i % owners.length],
}));

/**
 * Customers whose lifecycle stage moves when the demo starts, each move matching a demo
 * playbook's trigger, so the journey is alive on first start: handoffs come due (one per
 * moment), and handoffs' seed routes two of them. Kept apart from DEMO_CUSTOMERS, whose
 * stages the scorecard history and the tests rely on.
 */
export const DEMO_JOURNEY_CUSTOMERS = (
  [
    ['Vanarsdel Ltd', 'vanarsdel.com', Segment.MID_MARKET, Region.EMEA, LifecycleStage.MQL, LifecycleStage.SQL, P.hub_demo_brightwave_agency],
    ['Relecloud', 'relecloud.com', Segment.ENTERPRISE, Region.NA, LifecycleStage.SQL, LifecycleStage.OPPORTUNITY, null],
    [
      'Munson’s Pickles',
      'munsonspickles.com',
      Segment.ENTERPRISE,
      Region.EMEA,
      LifecycleStage.CLOSED_WON,
      LifecycleStage.ONBOARDING,
      P.hub_demo_globex_channel,
    ],
    ['Bellows College', 'bellowscollege.edu', Segment.MID_MARKET, Region.NA, LifecycleStage.CLOSED_WON, LifecycleStage.ONBOARDING, P.hub_demo_acme_reseller],
    [
      'Lamna Healthcare',
      'lamnahealthcare.com',
      Segment.ENTERPRISE,
      Region.LATAM,
      LifecycleStage.CLOSED_WON,
      LifecycleStage.ONBOARDING,
      P.hub_demo_pixelforge_studio,
    ],
    ['Southridge Video', 'southridgevideo.com', Segment.SMB, Region.NA, LifecycleStage.ONBOARDING, LifecycleStage.ACTIVE, P.hub_demo_northwind_services],
    ['Nod Publishers', 'nodpublishers.com', Segment.MID_MARKET, Region.LATAM, LifecycleStage.ACTIVE, LifecycleStage.RENEWAL, P.hub_demo_initech_impl],
  ] as const
).map(([name, domain, segment, region, fromStage, toStage, ownerPartnerId], i) => ({
  id: `00000000-0000-4000-9100-${String(i + 1).padStart(12, '0')}`,
  name,
  domain,
  segment,
  region,
  lifecycleStage: fromStage as LifecycleStage,
  toStage: toStage as LifecycleStage,
  ownerPartnerId: ownerPartnerId ?? null,
}));

/**
 * A reseller the demo suspends on first start (through updatePartner, as an internal team
 * would), with a customer it still owns: the journey's "owner inactive" gap is there to see.
 * Not in DEMO_PARTNERS: its API key is refused, and tests use every demo partner's key.
 */
export const DEMO_SUSPENDED_PARTNER = {
  id: '00000000-0000-4000-8000-000000000041',
  name: 'Tailwind Traders',
  kind: PartnerKind.RESELLER,
  tier: PartnerTier.REGISTERED,
  region: Region.NA,
  apiKey: 'hub_demo_tailwind_traders',
} as const;

export const DEMO_SUSPENDED_PARTNER_CUSTOMERS = [
  {
    id: '00000000-0000-4000-9200-000000000001',
    name: 'Lakeshore Retail',
    domain: 'lakeshoreretail.com',
    segment: Segment.MID_MARKET,
    region: Region.NA,
    lifecycleStage: LifecycleStage.ACTIVE,
    ownerPartnerId: DEMO_SUSPENDED_PARTNER.id,
  },
];

/** Every customer the demo holds on start: what tests that count or list customers compare with. */
export const ALL_DEMO_CUSTOMERS = [
  ...DEMO_CUSTOMERS,
  ...DEMO_JOURNEY_CUSTOMERS.map(({ toStage, ...c }) => ({ ...c, lifecycleStage: toStage })),
  ...DEMO_SUSPENDED_PARTNER_CUSTOMERS,
];

const SEED_ACTOR = { role: 'INTERNAL' as const, partnerId: '00000000-0000-4000-8000-000000000001', scopes: ['seed'] };

export async function seedAccounts(db: DataSource): Promise<void> {
  const now = new Date();
  await seedDirectory(db, now);
  await seedExchangeRates(db, SEED_ACTOR, now);
  // The journey customers' moves go through updateCustomer, so their CustomerUpdated events
  // are what any stage move through the API writes. Once: a customer past its first version moved already.
  for (const c of DEMO_JOURNEY_CUSTOMERS) {
    const [row]: { version: number; lifecycle_stage: string }[] = await db.query(`SELECT version, lifecycle_stage FROM accounts.customers WHERE id = $1`, [
      c.id,
    ]);
    if (row && row.version === 1 && row.lifecycle_stage === c.lifecycleStage) await updateCustomer(db, SEED_ACTOR, c.id, 1, { lifecycleStage: c.toStage });
  }
  // Once: a partner an internal team reactivated stays active.
  const [former]: { status: string; updated: boolean }[] = await db.query(
    `SELECT status, updated_at > created_at AS updated FROM accounts.partners WHERE id = $1`,
    [DEMO_SUSPENDED_PARTNER.id],
  );
  if (former && former.status === PartnerStatus.ACTIVE && !former.updated) {
    await updatePartner(db, SEED_ACTOR, DEMO_SUSPENDED_PARTNER.id, { status: PartnerStatus.SUSPENDED });
  }
}

async function seedDirectory(db: DataSource, now: Date): Promise<void> {
  await db.transaction(async (manager) => {
    const events: NewEvent[] = [];
    const commercials: CommercialsWrite[] = [];
    for (const p of [...DEMO_PARTNERS, DEMO_SUSPENDED_PARTNER]) {
      const created: unknown[] = await manager.query(
        `INSERT INTO accounts.partners (id, name, kind, tier, region) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [p.id, p.name, p.kind, p.tier, p.region],
      );
      await insertApiKey(manager, p.id, p.kind, 'demo key', p.apiKey);
      if (created.length === 0) continue;
      events.push({
        type: PARTNER_CREATED,
        source: 'accounts',
        aggregateType: 'Partner',
        aggregateId: p.id,
        payload: { partner: { id: p.id, name: p.name, kind: p.kind, tier: p.tier, region: p.region, status: 'ACTIVE' } },
        visibleTo: [p.id],
        actor: { role: 'SERVICE', scopes: ['seed'] },
      });
    }
    for (const person of DEMO_PEOPLE) {
      const rows: { created_at: Date; updated_at: Date }[] = await manager.query(
        `INSERT INTO accounts.people (id, partner_id, name, email, role) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING created_at, updated_at`,
        [person.id, person.partnerId, person.name, person.email, person.role],
      );
      const added = rows[0];
      if (!added) continue;
      const snapshot: PersonSnapshot = { ...person, status: 'ACTIVE', createdAt: added.created_at.toISOString(), updatedAt: added.updated_at.toISOString() };
      events.push({
        type: PERSON_ADDED,
        source: 'accounts',
        aggregateType: 'Person',
        aggregateId: person.id,
        payload: { person: snapshot, changed: ['name', 'email', 'role', 'status'] },
        visibleTo: [person.partnerId],
        actor: { role: 'SERVICE', scopes: ['seed'] },
      });
    }
    for (const [i, c] of [...DEMO_CUSTOMERS, ...DEMO_JOURNEY_CUSTOMERS.map(({ toStage: _, ...c }) => c), ...DEMO_SUSPENDED_PARTNER_CUSTOMERS].entries()) {
      const contacts = [{ name: `${c.name.split(' ')[0]} Buyer`, email: `buyer@${c.domain}`, role: 'economic buyer', phone: null }];
      const context = {
        goals: ['Consolidate tooling', 'Shorten time to value'],
        painPoints: ['Had to repeat requirements to every vendor'],
        currentSolution: 'Spreadsheets and email',
        timeline: i % 2 ? 'This quarter' : 'Next quarter',
        budget: null,
        notes: null,
      };
      const inserted: unknown[] = await manager.query(
        `INSERT INTO accounts.customers (id, name, domain, segment, region, lifecycle_stage, contacts, context, owner_partner_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [c.id, c.name, c.domain, c.segment, c.region, c.lifecycleStage, JSON.stringify(contacts), JSON.stringify(context), c.ownerPartnerId],
      );
      if (inserted.length === 0) continue;
      const figures = demoCommercials(i, c.lifecycleStage, now);
      commercials.push({ customerId: c.id, customerVersion: 1, value: figures });
      if (c.ownerPartnerId) {
        await manager.query(`INSERT INTO accounts.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'OWNER')`, [c.id, c.ownerPartnerId]);
      }
      await manager.query(`INSERT INTO accounts.customer_external_ids (system, external_id, customer_id, partner_id) VALUES ('demo-crm', $1, $2, $3)`, [
        `CRM-${1000 + i}`,
        c.id,
        c.ownerPartnerId,
      ]);
      events.push({
        type: CUSTOMER_CREATED,
        source: 'accounts',
        aggregateType: 'Customer',
        aggregateId: c.id,
        // Created with its figures, as createCustomer with commercials announces them.
        payload: {
          customer: { ...c, contacts, context, version: 1, createdAt: now.toISOString(), updatedAt: now.toISOString(), commercials: figures },
          changed: ['commercials'],
        },
        visibleTo: c.ownerPartnerId ? [c.ownerPartnerId] : [],
        actor: { role: 'SERVICE', scopes: ['seed'] },
      });
    }
    await writeCommercials(manager, commercials, 'UPDATE', null);
    await appendEvents(manager, events);
  });
}
