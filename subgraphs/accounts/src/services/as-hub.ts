import type { EntityManager } from 'typeorm';
import { currentTenant, withSystem } from '../../../../shared/db/tenant-context';

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
    return await fn();
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
