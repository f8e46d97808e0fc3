import type { EntityManager } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';

/** What the handoffs services need from TypeORM: raw SQL inside the caller's transaction. */
export type Sql = EntityManager;

/**
 * The same manager, with every statement marked as background work (consumers), so that
 * request query counts (the N+1 guard) do not see it.
 */
export function background(manager: EntityManager): EntityManager {
  return new Proxy(manager, {
    get(target, prop, receiver) {
      if (prop === 'query') return (sql: string, params?: unknown[]) => target.query(sql.startsWith(BACKGROUND) ? sql : BACKGROUND + sql, params);
      return Reflect.get(target, prop, receiver);
    },
  });
}

export const UNIQUE_VIOLATION = '23505';
export const isUniqueViolation = (err: unknown, constraint?: string) =>
  (err as { code?: string }).code === UNIQUE_VIOLATION && (!constraint || (err as { constraint?: string }).constraint === constraint);

/** Rows of an UPDATE/DELETE … RETURNING: TypeORM's postgres driver answers `[rows, rowCount]` for those. */
export function returned<T>(result: unknown): T[] {
  const r = result as unknown[];
  return (Array.isArray(r) && r.length === 2 && Array.isArray(r[0]) && typeof r[1] === 'number' ? r[0] : r) as T[];
}
