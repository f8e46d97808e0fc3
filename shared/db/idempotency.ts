import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { badUserInput } from '../errors';

/** DDL for a subgraph's idempotency table; include it in the subgraph's first migration. */
export const idempotencyTableSql = (schema: string) => `
  CREATE TABLE "${schema}".idempotency_keys (
    caller text NOT NULL,
    operation text NOT NULL,
    key text NOT NULL,
    request_hash text NOT NULL,
    result_id text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, operation, key)
  )`;

/**
 * Row-level security for a subgraph's idempotency table (run it in the subgraph's RLS
 * migration): a partner's keys are its own; the stored result ids say what it created.
 */
export const idempotencyRlsSql = (schema: string) => [
  `ALTER TABLE "${schema}".idempotency_keys ENABLE ROW LEVEL SECURITY`,
  `ALTER TABLE "${schema}".idempotency_keys FORCE ROW LEVEL SECURITY`,
  `CREATE POLICY idempotency_keys_tenant ON "${schema}".idempotency_keys
     USING (hubsec.sees_all() OR caller = hubsec.partner()::text)
     WITH CHECK (hubsec.sees_all() OR caller = hubsec.partner()::text)`,
];

/** Options for {@link idempotent}. */
export interface IdempotentOptions {
  schema: string;
  /** Whose key it is: keys of different callers never collide. */
  caller: string;
  operation: string;
  key: string | null | undefined;
  /** The request as sent; a replay must send the same. */
  request: unknown;
}

const stableJson = (value: unknown): string =>
  JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

/**
 * Runs `create` once per (caller, operation, key), inside the caller's transaction. A replay
 * with the same request returns the first result's id; with a different request it is a
 * BAD_USER_INPUT. Concurrent first calls serialise on the key's unique index.
 */
export async function idempotent(manager: EntityManager, opts: IdempotentOptions, create: () => Promise<string>): Promise<{ id: string; replayed: boolean }> {
  if (!opts.key) return { id: await create(), replayed: false };
  if (opts.key.length > 200) throw badUserInput('idempotencyKey must be at most 200 characters', [{ field: 'idempotencyKey', message: 'too long' }]);
  const hash = createHash('sha256').update(stableJson(opts.request)).digest('hex');
  const table = `"${opts.schema}".idempotency_keys`;
  const inserted: unknown[] = await manager.query(
    `INSERT INTO ${table} (caller, operation, key, request_hash, result_id) VALUES ($1, $2, $3, $4, '')
     ON CONFLICT DO NOTHING RETURNING key`,
    [opts.caller, opts.operation, opts.key, hash],
  );
  if (inserted.length === 0) {
    const [prior]: { request_hash: string; result_id: string }[] = await manager.query(
      `SELECT request_hash, result_id FROM ${table} WHERE caller = $1 AND operation = $2 AND key = $3`,
      [opts.caller, opts.operation, opts.key],
    );
    // The INSERT conflicted, so the row exists (committed before this statement saw it).
    if (!prior) throw new Error(`idempotency key "${opts.key}" conflicted but its row is missing`);
    if (prior.request_hash !== hash) {
      throw badUserInput(`idempotencyKey "${opts.key}" was already used for a different ${opts.operation} request; use a new key for a new request`, [
        { field: 'idempotencyKey', message: 'reused with a different payload' },
      ]);
    }
    return { id: prior.result_id, replayed: true };
  }
  const id = await create();
  await manager.query(`UPDATE ${table} SET result_id = $4 WHERE caller = $1 AND operation = $2 AND key = $3`, [opts.caller, opts.operation, opts.key, id]);
  return { id, replayed: false };
}
