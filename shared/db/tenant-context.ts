import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';
import { isInternal, type Identity } from '../auth/identity';

/**
 * Whose rows a database session may touch. Postgres row-level security reads it from the
 * session settings `hub.tenant` and `hub.partner_id` (see {@link TENANT_SETTINGS_SQL}):
 * - `system`: the hub's own background work (consumers, relays, schedulers, seeds).
 * - `internal`: an internal team or the gateway's SERVICE identity; sees every row.
 * - `partner`: one partner; sees only what the policies grant `partnerId`.
 * - `none`: an identity with no partner (should not happen); sees no tenant row at all.
 */
export type DbTenant = { kind: 'system' } | { kind: 'internal' } | { kind: 'partner'; partnerId: string } | { kind: 'none' };

const SYSTEM: DbTenant = { kind: 'system' };
const storage = new AsyncLocalStorage<DbTenant>();

/** The tenant a request made with `identity` runs as. */
export function tenantOf(identity: Identity): DbTenant {
  if (isInternal(identity)) return { kind: 'internal' };
  if (identity.partnerId) return { kind: 'partner', partnerId: identity.partnerId };
  return { kind: 'none' };
}

/**
 * Runs `fn` (and everything it starts asynchronously) as the caller: every connection it
 * checks out of a hub pool carries the caller's tenant, so RLS filters what SQL returns
 * even if a resolver forgot a check. The subgraph server shell wraps every request in it.
 */
export const withTenant = <T>(identity: Identity, fn: () => T): T => storage.run(tenantOf(identity), fn);

/**
 * Runs `fn` as the hub itself. Code outside any request already is (the default), so this
 * is for work a request hands off that must not be limited to the caller (rare: say so).
 * It applies to connections checked out inside `fn`: a transaction already open keeps
 * its caller's tenant — use {@link asHub} for statements inside one.
 */
export const withSystem = <T>(fn: () => T): T => storage.run(SYSTEM, fn);

/** The tenant of the current async context; background work is `system`. */
export const currentTenant = (): DbTenant => storage.getStore() ?? SYSTEM;

/** A stable key per tenant, so a pooled connection already set for it is not set again. */
export const tenantKey = (t: DbTenant): string => (t.kind === 'partner' ? `partner:${t.partnerId}` : t.kind);

/** Session settings the RLS policies read ($1 = kind, $2 = partner id or ''). */
export const TENANT_SETTINGS_SQL = `SELECT set_config('hub.tenant', $1, false), set_config('hub.partner_id', $2, false)`;

export const tenantSettingsParams = (t: DbTenant): [string, string] => [t.kind, t.kind === 'partner' ? t.partnerId : ''];

/**
 * Wraps an async iterator so each `next()` runs as `identity`: a subscription's events are
 * resolved (and filtered) long after the subscribe call, outside the request's context.
 */
export function iterateAsTenant<T>(identity: Identity, iterable: AsyncIterable<T>): AsyncIterableIterator<T> {
  const tenant = tenantOf(identity);
  const it = iterable[Symbol.asyncIterator]();
  const wrapped: AsyncIterableIterator<T> = {
    next: (...args: [] | [unknown]) => storage.run(tenant, () => it.next(...args)),
    return: (value?: unknown) => (it.return ? storage.run(tenant, () => it.return!(value)) : Promise.resolve({ done: true, value: value as T })),
    throw: (err?: unknown) => (it.throw ? storage.run(tenant, () => it.throw!(err)) : Promise.reject(err)),
    [Symbol.asyncIterator]: () => wrapped,
  };
  return wrapped;
}

const SET_TENANT = `SELECT set_config('hub.tenant', $1, true)`;

/**
 * Runs `fn`'s statements on `manager` as the hub (row-level security tenant `system`)
 * instead of the caller: for the few statements a request makes on the hub's behalf (a
 * uniqueness check across partners, an event's audience, sync's matching). Say why at
 * each call site; everything else stays the caller's.
 *
 * withSystem() alone does not reach a transaction's statements: the tenant is set when a
 * connection leaves the pool, and a transaction's connection left it as the caller. So in
 * a transaction this sets the tenant for the transaction only (`set_config(..., true)`,
 * which a rollback also undoes) and sets the caller's back afterwards; outside one it is
 * withSystem(). `fn` must issue its statements one after another on `manager`.
 */
export async function asHub<T>(manager: EntityManager, fn: () => Promise<T>): Promise<T> {
  const caller = currentTenant();
  if (caller.kind === 'system') return fn();
  if (!manager.queryRunner?.isTransactionActive) return withSystem(fn);
  await manager.query(SET_TENANT, ['system']);
  let failed = false;
  try {
    // Inside, the hub is the current tenant: a nested asHub is a no-op instead of setting
    // the caller's tenant back halfway through.
    return await storage.run(SYSTEM, fn);
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    const restore = manager.query(SET_TENANT, [caller.kind]);
    // After a failed statement the transaction is aborted and will be rolled back, which
    // restores the caller's tenant by itself; the original error is the one to report.
    if (failed) await restore.catch(() => undefined);
    else await restore;
  }
}
