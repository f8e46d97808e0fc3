import type { Contact, CustomerContext } from '../entities/customer-parts';
import type { LifecycleStage, Region, Segment } from '../entities/enums';
import { applyCommercials, sameCommercials, type CommercialsPatch, type CommercialsValue } from '../services/commercials';

/**
 * Field-level merge rules for partner sync (`upsertCustomers`). A sync never erases what
 * someone else put on the shared record:
 *
 * - Fields a row leaves out or sends as null are left as they are (sync never clears).
 * - `name`, `segment`, `region`, `lifecycleStage`: the owner (and internal teams) write them,
 *   last writer wins; a collaborator's values are ignored (reported in `ignoredFields`).
 * - `domain` is the identity two partners' records meet on: sync sets it only when the record
 *   has none and no other customer has it; changing it is `updateCustomer`'s job.
 * - `contacts` are merged by e-mail (case-insensitive), else by name: a known contact gets the
 *   row's non-null values, new ones are appended, none is removed. Owners and collaborators.
 * - `context`: `goals` and `painPoints` are unions; the other context fields take the row's
 *   non-null values. Owners and collaborators.
 * - `commercials` (docs/revenue.md): the owner (and internal teams) write them; a
 *   collaborator's are ignored. Figures left out or null stay; the others are set. A row in
 *   another currency than the record's must give every amount the record holds (in the new
 *   currency), else its commercials are ignored: an amount means nothing in another currency.
 * - Ownership never moves through sync (only handoffs move it).
 * - With `expectedVersion` a row applies only if the record is still at that version.
 */
export type WriterRole = 'OWNER' | 'COLLABORATOR' | 'INTERNAL';

export const OWNER_ONLY_FIELDS = ['name', 'segment', 'region', 'lifecycleStage'] as const;
export const MAX_CONTACTS = 50;

/** The mergeable part of a customer. */
export interface MergeableFields {
  name: string;
  domain: string | null;
  segment: Segment;
  region: Region;
  lifecycleStage: LifecycleStage;
  contacts: Contact[];
  context: CustomerContext;
  /** null: none recorded. */
  commercials: CommercialsValue | null;
}

/** What a row asks for, already normalized; undefined = leave alone. */
export interface IncomingFields {
  name?: string;
  domain?: string;
  segment?: Segment;
  region?: Region;
  lifecycleStage?: LifecycleStage;
  contacts?: Contact[];
  context?: Partial<CustomerContext>;
  commercials?: CommercialsPatch;
}

export interface MergeOutcome {
  next: MergeableFields;
  changed: string[];
  ignored: string[];
}

/** Key order (jsonb reorders keys) and null-versus-absent do not make a difference. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null && v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

export const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a ?? null)) === JSON.stringify(canonical(b ?? null));

const contactKey = (c: Contact) => (c.email ? `e:${c.email.trim().toLowerCase()}` : `n:${c.name.trim().toLowerCase()}`);

/** Known contacts get the row's non-null values; new ones are appended; none is removed. */
export function mergeContacts(current: Contact[], incoming: Contact[]): Contact[] {
  const merged = current.map((c) => ({ ...c }));
  const index = new Map(merged.map((c, i) => [contactKey(c), i]));
  for (const raw of incoming) {
    const c = { name: raw.name, email: raw.email ?? null, role: raw.role ?? null, phone: raw.phone ?? null };
    const at = index.get(contactKey(c));
    const existing = at === undefined ? undefined : merged[at];
    if (at === undefined || !existing) {
      index.set(contactKey(c), merged.length);
      merged.push(c);
    } else {
      merged[at] = {
        name: c.name,
        email: c.email ?? existing.email ?? null,
        role: c.role ?? existing.role ?? null,
        phone: c.phone ?? existing.phone ?? null,
      };
    }
  }
  return merged;
}

const union = (a: string[], b: string[] | undefined) => {
  const seen = new Set(a.map((s) => s.trim().toLowerCase()));
  const out = [...a];
  for (const s of b ?? []) {
    const key = s.trim().toLowerCase();
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(s.trim());
  }
  return out;
};

export function mergeContext(current: CustomerContext, incoming: Partial<CustomerContext>): CustomerContext {
  const next: CustomerContext = {
    goals: union(current.goals ?? [], incoming.goals),
    painPoints: union(current.painPoints ?? [], incoming.painPoints),
    currentSolution: current.currentSolution ?? null,
    timeline: current.timeline ?? null,
    budget: current.budget ?? null,
    notes: current.notes ?? null,
  };
  for (const k of ['currentSolution', 'timeline', 'budget', 'notes'] as const) {
    const v = incoming[k];
    if (v !== undefined && v !== null) next[k] = v;
  }
  return next;
}

/**
 * Applies a row to a record under the rules above. `domainTaken` says whether another
 * customer already holds the row's domain.
 */
export function mergeCustomer(current: MergeableFields, incoming: IncomingFields, role: WriterRole, domainTaken: boolean): MergeOutcome {
  const next: MergeableFields = { ...current };
  const ignored: string[] = [];
  for (const field of OWNER_ONLY_FIELDS) {
    const value = incoming[field];
    if (value === undefined || same(value, current[field])) continue;
    if (role === 'COLLABORATOR') ignored.push(field);
    else (next as unknown as Record<string, unknown>)[field] = value;
  }
  if (incoming.domain !== undefined && incoming.domain !== current.domain) {
    if (current.domain === null && !domainTaken && role !== 'COLLABORATOR') next.domain = incoming.domain;
    else ignored.push('domain');
  }
  if (incoming.contacts) next.contacts = mergeContacts(current.contacts ?? [], incoming.contacts);
  if (incoming.context) next.context = mergeContext(current.context ?? { goals: [], painPoints: [] }, incoming.context);
  if (incoming.commercials) {
    const { next: figures, unrestated } = applyCommercials(current.commercials, incoming.commercials, 'sync');
    if (role === 'COLLABORATOR' || unrestated.length > 0) {
      if (!sameCommercials(figures, current.commercials)) ignored.push('commercials');
    } else next.commercials = figures;
  }
  const fields = ['name', 'domain', 'segment', 'region', 'lifecycleStage', 'contacts', 'context'] as const;
  const changed: string[] = fields.filter((f) => !same(next[f], current[f]));
  if (!sameCommercials(next.commercials, current.commercials)) changed.push('commercials');
  return { next, changed, ignored };
}
