import { LifecycleStage, Region, Segment } from '../src/entities/enums';
import { mergeContacts, mergeContext, mergeCustomer, type MergeableFields } from '../src/sync/merge-rules';
import { retryDelayMs } from '../src/webhooks/delivery-worker';

const current: MergeableFields = {
  name: 'Acme',
  domain: null,
  segment: Segment.SMB,
  region: Region.NA,
  lifecycleStage: LifecycleStage.LEAD,
  contacts: [{ name: 'Ann', email: 'ann@acme.com', role: 'champion', phone: null }],
  context: { goals: ['Grow'], painPoints: [], currentSolution: 'Sheets', timeline: null, budget: null, notes: null },
  commercials: { currency: 'EUR', arr: '1000', pipelineValue: null, contractValue: '3000', contractTermMonths: 36, renewalDate: '2027-01-31' },
};

describe('sync merge rules', () => {
  it('lets the owner overwrite owner fields and leaves out what the row leaves out', () => {
    const r = mergeCustomer(current, { name: 'Acme Inc', lifecycleStage: LifecycleStage.SQL }, 'OWNER', false);
    expect(r.changed).toEqual(['name', 'lifecycleStage']);
    expect(r.next).toMatchObject({ name: 'Acme Inc', segment: Segment.SMB, lifecycleStage: LifecycleStage.SQL, contacts: current.contacts });
  });

  it('ignores a collaborator’s owner fields but takes its contacts and context', () => {
    const r = mergeCustomer(
      current,
      { name: 'Other', region: Region.EMEA, contacts: [{ name: 'Bob', email: 'bob@acme.com' }] as never },
      'COLLABORATOR',
      false,
    );
    expect(r.ignored).toEqual(['name', 'region']);
    expect(r.changed).toEqual(['contacts']);
    expect(r.next.name).toBe('Acme');
  });

  it('sets a domain only where none is, and never one another customer holds', () => {
    expect(mergeCustomer(current, { domain: 'acme.com' }, 'OWNER', false).changed).toEqual(['domain']);
    expect(mergeCustomer(current, { domain: 'acme.com' }, 'OWNER', true).ignored).toEqual(['domain']);
    expect(mergeCustomer({ ...current, domain: 'acme.com' }, { domain: 'acme.io' }, 'INTERNAL', false).ignored).toEqual(['domain']);
  });

  it('merges contacts by e-mail, case-insensitively, keeping values the row does not send', () => {
    const merged = mergeContacts(current.contacts, [{ name: 'Ann B', email: 'ANN@acme.com', phone: '1' } as never, { name: 'Cy' } as never]);
    expect(merged).toEqual([
      { name: 'Ann B', email: 'ANN@acme.com', role: 'champion', phone: '1' },
      { name: 'Cy', email: null, role: null, phone: null },
    ]);
  });

  it('unions goals and pain points and is idempotent', () => {
    const once = mergeContext(current.context, { goals: ['grow', 'Save'], painPoints: ['Slow'], notes: 'n' });
    expect(once).toMatchObject({ goals: ['Grow', 'Save'], painPoints: ['Slow'], currentSolution: 'Sheets', notes: 'n' });
    const twice = mergeCustomer({ ...current, context: once }, { context: { goals: ['Save'], painPoints: ['Slow'], notes: 'n' } }, 'OWNER', false);
    expect(twice.changed).toEqual([]);
  });

  it('backs off exponentially with jitter, capped', () => {
    const cfg = { retryBaseMs: 1000, retryMaxDelayMs: 60_000 };
    expect(retryDelayMs(1, cfg, () => 0)).toBe(500);
    expect(retryDelayMs(1, cfg, () => 1)).toBe(1000);
    expect(retryDelayMs(4, cfg, () => 1)).toBe(8000);
    expect(retryDelayMs(40, cfg, () => 1)).toBe(60_000);
  });

  describe('commercials', () => {
    it('lets the owner and internal teams set figures, keeping what the row leaves out or sends as null', () => {
      for (const role of ['OWNER', 'INTERNAL'] as const) {
        const r = mergeCustomer(current, { commercials: { currency: 'EUR', arr: '1200.5', pipelineValue: null, renewalDate: '2028-01-31' } }, role, false);
        expect(r.changed).toEqual(['commercials']);
        expect(r.ignored).toEqual([]);
        expect(r.next.commercials).toEqual({ ...current.commercials, arr: '1200.5', renewalDate: '2028-01-31' });
      }
    });

    it('ignores a collaborator’s figures and reports them; the same figures are no change at all', () => {
      const r = mergeCustomer(current, { commercials: { currency: 'EUR', arr: '5' } }, 'COLLABORATOR', false);
      expect([r.changed, r.ignored, r.next.commercials]).toEqual([[], ['commercials'], current.commercials]);
      const same = mergeCustomer(current, { commercials: { currency: 'EUR', arr: '1000.000' } }, 'OWNER', false);
      expect([same.changed, same.ignored]).toEqual([[], []]);
    });

    it('takes a new currency only when the row restates every amount the record holds', () => {
      const partial = mergeCustomer(current, { commercials: { currency: 'USD', arr: '1100' } }, 'OWNER', false);
      expect([partial.changed, partial.ignored, partial.next.commercials]).toEqual([[], ['commercials'], current.commercials]);
      const full = mergeCustomer(current, { commercials: { currency: 'USD', arr: '1100', contractValue: '3300' } }, 'OWNER', false);
      expect(full.changed).toEqual(['commercials']);
      expect(full.next.commercials).toEqual({ ...current.commercials, currency: 'USD', arr: '1100', contractValue: '3300' });
    });

    it('creates figures on a record that has none', () => {
      const r = mergeCustomer({ ...current, commercials: null }, { commercials: { currency: 'JPY', arr: '1000000' } }, 'OWNER', false);
      expect(r.next.commercials).toEqual({
        currency: 'JPY',
        arr: '1000000',
        pipelineValue: null,
        contractValue: null,
        contractTermMonths: null,
        renewalDate: null,
      });
    });
  });
});
