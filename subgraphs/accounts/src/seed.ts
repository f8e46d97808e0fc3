import type { DataSource } from 'typeorm';
import { appendEvents, type NewEvent } from '../../../shared/eventlog/event-log';
import { CUSTOMER_CREATED, PARTNER_CREATED } from '../../../shared/eventlog/events';
import { insertApiKey } from './services/api-key.service';
import { LifecycleStage, PartnerKind, PartnerTier, Region, Segment } from './entities/enums';

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

export async function seedAccounts(db: DataSource): Promise<void> {
  await db.transaction(async (manager) => {
    const events: NewEvent[] = [];
    for (const p of DEMO_PARTNERS) {
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
    for (const [i, c] of DEMO_CUSTOMERS.entries()) {
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
        payload: { customer: { ...c, contacts, context, version: 1, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() }, changed: [] },
        visibleTo: c.ownerPartnerId ? [c.ownerPartnerId] : [],
        actor: { role: 'SERVICE', scopes: ['seed'] },
      });
    }
    await appendEvents(manager, events);
  });
}
