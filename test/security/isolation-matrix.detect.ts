/**
 * The isolation matrix's judge: what of partner B's may not appear in partner A's answers,
 * and how to tell, in any response, that it did.
 *
 * B's secrets are collected from B's own view of the hub ({@link harvest}): the ids of its
 * objects, its customers' names and domains, its key prefixes and webhook URLs, and every
 * string B planted (they all carry a marker). What A may legitimately share with B (the
 * handoffs both are named on, and what hangs off them) is taken out first.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Types whose instances every caller may see (the partner directory, playbooks, policies). */
export const PUBLIC_TYPES = new Set(['Partner', 'Playbook', 'SlaPolicy', 'SlaPolicyVersion', 'PageInfo', 'Viewer']);

/** Per type, the string fields of B's objects that only B's side may see. */
const SECRET_FIELDS: Record<string, string[]> = {
  Customer: ['name', 'domain'],
  ApiKey: ['prefix'],
  Webhook: ['url'],
};

export interface Secrets {
  /** Exact strings that must not appear unless the caller sent them: value → what it is. */
  strings: Map<string, string>;
  /** B's objects (not shared with A), as `Type:id` (demo ids repeat across types). */
  objects: Set<string>;
  /** B's partner id: may appear only as a Partner's `id` (the public directory). */
  partnerId: string;
  /** Handoffs A and B are both named on: what hangs off them is A's to see too. */
  sharedHandoffs: Set<string>;
  /** Partner fields only the partner itself may read (contributed by other subgraphs). */
  partnerPrivateFields: string[];
  /** Substring of every string B planted. */
  marker: string;
}

interface WalkState {
  /** The object is reached through one of the shared handoffs. */
  inherited: boolean;
}

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An object about a shared handoff: it names one itself (id, handoffId, aggregateId...),
 * through a direct child (`handoff { id }`), or anywhere in a JSON value it carries (a
 * Change's payload: `{ clock: { handoffId } }`).
 */
function anchoredHere(obj: Record<string, Json>, shared: Set<string>): boolean {
  const typed = typeof obj.__typename === 'string';
  const inJson = (v: Json): boolean =>
    typeof v === 'string' ? shared.has(v) : Array.isArray(v) ? v.some(inJson) : isObject(v) && !('__typename' in v) && Object.values(v).some(inJson);
  for (const v of Object.values(obj)) {
    if (typeof v === 'string' && shared.has(v)) return true;
    // Only a typed object is about its child (the root `data` is not about each root field).
    if (!typed) continue;
    if (isObject(v) && typeof v.id === 'string' && shared.has(v.id)) return true;
    if (isObject(v) && !('__typename' in v) && inJson(v)) return true;
  }
  return false;
}

/**
 * Visits every object of a JSON tree with whether it belongs to a shared handoff. A
 * Customer reached through a shared handoff is shared itself (A knows its id and name
 * from the handoff), but what hangs off it (its other handoffs, its history) is judged anew.
 */
function walk(value: Json, path: string, state: WalkState, shared: Set<string>, visit: (obj: Record<string, Json>, path: string, shared: boolean) => void) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, `${path}[${i}]`, state, shared, visit));
    return;
  }
  if (!isObject(value)) return;
  const isShared = state.inherited || anchoredHere(value, shared);
  visit(value, path, isShared);
  const inherited = isShared && value.__typename !== 'Customer';
  for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, { inherited }, shared, visit);
}

export interface Harvest {
  /** B's objects by type, in the order B's view listed them (shared ones excluded). */
  ids: Record<string, string[]>;
  /** Ids seen under a shared handoff. */
  sharedIds: Set<string>;
  /** Ids of public objects (policies, playbooks, partners); demo data reuses some for other types. */
  publicIds: Set<string>;
  /** Lookup keys of B's records, index-aligned per record: domain, system, externalId, search. */
  lookups: Record<string, string[]>;
  secrets: Map<string, string>;
}

/** Collects B's objects and secrets from B's own answers (see the module comment). */
export function harvest(responses: unknown[], opts: { sharedHandoffs: Set<string>; marker: string }): Harvest {
  const found = new Map<string, { type: string; id: string; obj: Record<string, Json> }>();
  const sharedIds = new Set<string>(opts.sharedHandoffs);
  const planted = new Set<string>();
  const externalIds: { system: string; externalId: string; owner: string }[] = [];
  for (const res of responses) {
    const visitStrings = (v: unknown) => {
      if (typeof v === 'string' && v.includes(opts.marker)) planted.add(v);
      else if (Array.isArray(v)) v.forEach(visitStrings);
      else if (isObject(v)) Object.values(v).forEach(visitStrings);
    };
    visitStrings(res);
    walk(res as Json, '', { inherited: false }, opts.sharedHandoffs, (obj, _path, isShared) => {
      const type = typeof obj.__typename === 'string' ? obj.__typename : null;
      if (!type || typeof obj.id !== 'string') return;
      if (isShared) sharedIds.add(obj.id);
      // Keyed by type too: demo data reuses ids across types. Keep the richest copy (most fields).
      const key = `${type}:${obj.id}`;
      const seen = found.get(key);
      if (!seen || Object.keys(obj).length > Object.keys(seen.obj).length) found.set(key, { type, id: obj.id, obj });
      if (type === 'Customer' && Array.isArray(obj.externalIds)) {
        for (const x of obj.externalIds)
          if (isObject(x) && typeof x.system === 'string' && typeof x.externalId === 'string')
            externalIds.push({ system: x.system, externalId: x.externalId, owner: obj.id });
      }
    });
  }
  const ids: Record<string, string[]> = {};
  const secrets = new Map<string, string>();
  const customers: Record<string, Json>[] = [];
  const publicIds = new Set([...found.values()].filter((f) => PUBLIC_TYPES.has(f.type)).map((f) => f.id));
  for (const { type, id, obj } of found.values()) {
    if (PUBLIC_TYPES.has(type) || sharedIds.has(id)) continue;
    (ids[type] ??= []).push(id);
    if (!publicIds.has(id)) secrets.set(id, `id of B's ${type}`);
    for (const f of SECRET_FIELDS[type] ?? []) if (typeof obj[f] === 'string' && obj[f]) secrets.set(obj[f] as string, `${type}.${f} of B's ${type} ${id}`);
    if (type === 'Customer') customers.push(obj);
  }
  // What B planted first: fields try a few of B's objects per type, these are the richest.
  const plantedFirst = (id: string) => (JSON.stringify([...found.values()].find((f) => f.id === id)?.obj ?? '').includes(opts.marker) ? 0 : 1);
  for (const list of Object.values(ids)) list.sort((x, y) => plantedFirst(x) - plantedFirst(y));
  for (const p of planted) secrets.set(p, 'a string B planted');
  const uniqueX = [...new Map(externalIds.map((x) => [`${x.system}\u0000${x.externalId}`, x])).values()];
  const lookups: Record<string, string[]> = {
    domain: customers.map((c) => c.domain).filter((d): d is string => typeof d === 'string'),
    search: customers.map((c) => c.name).filter((n): n is string => typeof n === 'string'),
    system: uniqueX.map((x) => x.system),
    externalId: uniqueX.map((x) => x.externalId),
  };
  return { ids, sharedIds, publicIds, lookups, secrets };
}

export interface Finding {
  where: string;
  what: string;
}

/**
 * Everything of B's in `response` that the caller did not send itself in `request`:
 * - any secret string or B's object id (an echo of the caller's own argument, e.g. in a
 *   NOT_FOUND message, is not a leak);
 * - any string carrying the planted marker;
 * - in data: B's partner id anywhere but as a Partner's id, an object of B's with any
 *   field besides its id, and a private field of B's Partner (inbox, scorecard...) that is
 *   not null or empty. Objects hanging off a shared handoff are exempt from these three.
 */
export function findLeaks(response: unknown, request: string, s: Secrets): Finding[] {
  const findings: Finding[] = [];
  let text = JSON.stringify(response ?? null);
  for (const secret of s.strings.keys()) if (request.includes(secret)) text = text.split(secret).join('<echo>');
  for (const [secret, what] of s.strings) if (text.includes(secret)) findings.push({ where: 'response', what: `${what}: "${secret}"` });
  const markerAt = text.indexOf(s.marker);
  if (markerAt >= 0 && !findings.some((f) => f.what.startsWith('a string B planted'))) {
    findings.push({ where: 'response', what: `planted marker in "${text.slice(Math.max(0, markerAt - 60), markerAt + 40)}"` });
  }
  const data = isObject(response) && 'data' in response ? (response as { data: Json }).data : null;
  walk(data ?? null, 'data', { inherited: false }, s.sharedHandoffs, (obj, path, isShared) => {
    const type = obj.__typename;
    if (type === 'Partner' && obj.id === s.partnerId) {
      for (const f of s.partnerPrivateFields) {
        const v = obj[f];
        if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) findings.push({ where: `${path}.${f}`, what: `B's private Partner.${f}` });
      }
    }
    if (isShared) return;
    for (const [k, v] of Object.entries(obj)) {
      const values = Array.isArray(v) ? v : [v];
      if (values.includes(s.partnerId) && !(k === 'id' && type === 'Partner'))
        findings.push({ where: `${path}.${k}`, what: "B's partner id outside the directory" });
    }
    if (typeof obj.id === 'string' && s.objects.has(`${String(type)}:${obj.id}`)) {
      const more = Object.entries(obj).filter(([k, v]) => k !== 'id' && k !== '__typename' && v !== null && !(Array.isArray(v) && v.length === 0));
      if (more.length) findings.push({ where: path, what: `B's ${String(type ?? 'object')} ${obj.id} with ${more.map(([k]) => k).join(', ')}` });
    }
  });
  return findings;
}

/** Codes a refused probe may carry; CONFLICT only when it named no object of B's by id. */
export function unexpectedErrors(response: unknown, opts: { targetsObject: boolean }): string[] {
  const errors = isObject(response) && Array.isArray(response.errors) ? (response.errors as { message?: string; extensions?: { code?: string } }[]) : [];
  const allowed = new Set(['NOT_FOUND', 'FORBIDDEN', 'BAD_USER_INPUT', ...(opts.targetsObject ? [] : ['CONFLICT'])]);
  return errors.filter((e) => !allowed.has(e.extensions?.code ?? '')).map((e) => `${e.extensions?.code ?? 'no code'}: ${e.message ?? ''}`);
}
