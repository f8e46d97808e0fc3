import type { DataSource, EntityManager } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { notifyCredentialRevoked } from '../../../../shared/auth/revocation';
import { hasScopes, isScope } from '../../../../shared/auth/scopes';
import { badUserInput, conflict, forbidden, notFound } from '../../../../shared/errors';
import { appendEvent } from '../../../../shared/eventlog/event-log';
import { API_KEY_REVOKED, type ApiKeyRevokedPayload } from '../../../../shared/eventlog/events';
import { assertId } from '../../../../shared/graphql/ids';
import { decodeCursor, pageSize, sqlProbes, toConnection, type Connection } from '../../../../shared/graphql/pagination';
import { PartnerKind } from '../entities/enums';
import { ApiKeyStatus, ApiKeyView, type CreateApiKeyInput } from '../resolvers/api-key.types';
import { generateApiKey, hashApiKey, INTERNAL_SCOPES, PARTNER_SCOPES } from './api-key.service';
import { oneRow } from '../../../../shared/db/rows';

/** Enough for one key per integration plus a rotation in flight; revoked keys don't count. */
export const MAX_ACTIVE_KEYS = 25;

interface KeyRow {
  id: string;
  partner_id: string;
  label: string;
  prefix: string;
  scopes: string[];
  created_at: Date;
  revoked_at: Date | null;
  person_id: string | null;
}

const toView = (r: KeyRow): ApiKeyView =>
  Object.assign(new ApiKeyView(), {
    id: r.id,
    partnerId: r.partner_id,
    label: r.label,
    prefix: r.prefix,
    scopes: r.scopes,
    status: r.revoked_at ? ApiKeyStatus.REVOKED : ApiKeyStatus.ACTIVE,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    personId: r.person_id,
  });

const COLUMNS = 'id, partner_id, label, prefix, scopes, created_at, revoked_at, person_id';

/** Managing another partner's keys takes an internal team with the admin scope. */
const mayManageAll = (identity: Identity) => isInternal(identity) && hasScopes(identity, 'admin');

/** Whose keys the caller means: its own unless it names another and may manage all. */
function targetPartner(identity: Identity, requested: string | null | undefined, field: string): string {
  const own = identity.partnerId;
  if (requested) {
    const id = assertId(requested, field);
    if (id === own || mayManageAll(identity)) return id;
    throw forbidden("Only an internal team with the admin scope can manage another partner's API keys");
  }
  if (!own) throw badUserInput(`${field} is required for a caller that acts for no partner`, [{ field, message: 'required' }]);
  return own;
}

/** A key the caller may manage, locked for update; NOT_FOUND for anyone else's (hidden = not found). */
async function lockManagedKey(manager: EntityManager, identity: Identity, rawId: string): Promise<KeyRow> {
  const id = assertId(rawId, 'id');
  const [row]: KeyRow[] = await manager.query(`SELECT ${COLUMNS} FROM accounts.api_keys WHERE id = $1 FOR UPDATE`, [id]);
  if (!row || (row.partner_id !== identity.partnerId && !mayManageAll(identity))) throw notFound('API key', id);
  return row;
}

async function partnerKind(manager: EntityManager, partnerId: string): Promise<PartnerKind> {
  const [row]: { kind: PartnerKind }[] = await manager.query(`SELECT kind FROM accounts.partners WHERE id = $1`, [partnerId]);
  if (!row) throw notFound('Partner', partnerId);
  return row.kind;
}

/**
 * Scopes for a new key: what the caller asked for (default: what the partner's kind gets),
 * never beyond what that kind may hold nor beyond the caller's own scopes, so a key can only
 * ever hand out less than it has.
 */
function grantedScopes(identity: Identity, kind: PartnerKind, requested: string[] | null | undefined): string[] {
  const allowed = kind === PartnerKind.INTERNAL_TEAM ? INTERNAL_SCOPES : PARTNER_SCOPES;
  if (!requested) return allowed.filter((s) => identity.scopes.includes(s));
  const unknown = requested.filter((s) => !isScope(s));
  if (unknown.length > 0) {
    throw badUserInput(`input.scopes: unknown scope(s) ${unknown.join(', ')}`, [{ field: 'input.scopes', message: `unknown: ${unknown.join(', ')}` }]);
  }
  const notForKind = requested.filter((s) => !allowed.includes(s));
  if (notForKind.length > 0) {
    throw badUserInput(`input.scopes: a ${kind} partner's key cannot carry ${notForKind.join(', ')}`, [
      { field: 'input.scopes', message: 'not allowed for this partner' },
    ]);
  }
  const beyondCaller = requested.filter((s) => !identity.scopes.includes(s));
  if (beyondCaller.length > 0) throw forbidden(`A key cannot grant scopes its creator lacks: ${beyondCaller.join(', ')}`);
  return [...new Set(requested)];
}

async function insertKey(
  manager: EntityManager,
  partnerId: string,
  label: string,
  scopes: string[],
  personId: string | null,
): Promise<{ row: KeyRow; secret: string }> {
  const secret = generateApiKey();
  const rows: KeyRow[] = await manager.query(
    `INSERT INTO accounts.api_keys (partner_id, label, prefix, hash, scopes, person_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [partnerId, label, secret.slice(0, 12), hashApiKey(secret), scopes, personId],
  );
  return { row: oneRow(rows, 'INSERT INTO accounts.api_keys'), secret };
}

/**
 * Marks a key revoked, records it in the event log and tells every gateway (NOTIFY on
 * commit) to forget it and close the WebSockets it opened. Already revoked: unchanged.
 */
async function revokeRow(manager: EntityManager, row: KeyRow, actor: Identity, reason: 'REVOKED' | 'ROTATED', replacedBy: string | null): Promise<KeyRow> {
  if (row.revoked_at) return row;
  // TypeORM answers an UPDATE with [rows, affected].
  const [rows]: [KeyRow[], number] = await manager.query(`UPDATE accounts.api_keys SET revoked_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [row.id]);
  const updated = oneRow(rows, 'UPDATE accounts.api_keys (revoke)');
  const payload: ApiKeyRevokedPayload = {
    apiKey: { id: row.id, partnerId: row.partner_id, prefix: row.prefix, label: row.label },
    reason,
    revokedAt: updated.revoked_at!.toISOString(),
    replacedBy,
  };
  await appendEvent(manager, {
    type: API_KEY_REVOKED,
    source: 'accounts',
    aggregateType: 'ApiKey',
    aggregateId: row.id,
    payload: payload as unknown as Record<string, unknown>,
    visibleTo: [row.partner_id],
    actor,
  });
  await notifyCredentialRevoked(manager, { credentialId: row.id, partnerId: row.partner_id, reason });
  return updated;
}

/**
 * Revokes every live key bound to a person (deactivatePerson), in the caller's transaction:
 * each gets its ApiKeyRevoked event and its NOTIFY, so gateways drop it on commit.
 */
export async function revokeKeysOfPerson(manager: EntityManager, personId: string, actor: Identity): Promise<void> {
  const rows: KeyRow[] = await manager.query(`SELECT ${COLUMNS} FROM accounts.api_keys WHERE person_id = $1 AND revoked_at IS NULL ORDER BY id FOR UPDATE`, [
    personId,
  ]);
  for (const row of rows) await revokeRow(manager, row, actor, 'REVOKED', null);
}

/** A key may act as a person of its own partner who is still ACTIVE; anything else is BAD_USER_INPUT. */
async function boundPerson(manager: EntityManager, partnerId: string, raw: string | null | undefined): Promise<string | null> {
  if (!raw) return null;
  const id = assertId(raw, 'input.personId');
  const [person]: { status: string }[] = await manager.query(`SELECT status FROM accounts.people WHERE id = $1 AND partner_id = $2`, [id, partnerId]);
  if (!person)
    throw badUserInput(`input.personId: no person ${id} at partner ${partnerId}`, [{ field: 'input.personId', message: 'not a person of this partner' }]);
  if (person.status !== 'ACTIVE') throw badUserInput(`input.personId: person ${id} is deactivated`, [{ field: 'input.personId', message: 'deactivated' }]);
  return id;
}

export async function listApiKeys(
  db: DataSource,
  identity: Identity,
  opts: { partnerId?: string | null; includeRevoked?: boolean | null; first?: number | null; after?: string | null },
): Promise<Connection<ApiKeyView>> {
  const partnerId = targetPartner(identity, opts.partnerId, 'partnerId');
  const limit = pageSize(opts.first);
  const cursor = decodeCursor(opts.after, 2);
  let filtered = 'FROM accounts.api_keys WHERE partner_id = $1';
  if (!opts.includeRevoked) filtered += ' AND revoked_at IS NULL';
  const cursorParams = cursor ? [partnerId, cursor[0], cursor[1]] : [partnerId];
  const cursorAt = '$2::timestamptz, $3::uuid';
  const rows: KeyRow[] = await db.query(
    `SELECT ${COLUMNS} ${filtered} ${cursor ? `AND (created_at, id) > (${cursorAt})` : ''} ORDER BY created_at, id LIMIT $${cursorParams.length + 1}`,
    [...cursorParams, limit + 1],
  );
  return toConnection(
    rows.map(toView),
    limit,
    (k) => [k.createdAt.toISOString(), k.id],
    sqlProbes(db, [`SELECT 1 ${filtered}`, [partnerId]], cursor ? [`SELECT 1 ${filtered} AND (created_at, id) <= (${cursorAt})`, cursorParams] : undefined),
  );
}

export async function createApiKey(db: DataSource, identity: Identity, input: CreateApiKeyInput): Promise<{ apiKey: ApiKeyView; secret: string }> {
  const partnerId = targetPartner(identity, input.partnerId, 'input.partnerId');
  const label = input.label.trim();
  if (!label) throw badUserInput('input.label must not be empty', [{ field: 'input.label', message: 'must not be empty' }]);
  return db.transaction(async (manager) => {
    // Serialises concurrent creations for one partner so the cap below holds.
    const kind = (await manager.query(`SELECT kind FROM accounts.partners WHERE id = $1 FOR UPDATE`, [partnerId]))[0]?.kind as PartnerKind | undefined;
    if (!kind) throw notFound('Partner', partnerId);
    const scopes = grantedScopes(identity, kind, input.scopes);
    const { n } = oneRow<{ n: number }>(
      await manager.query(`SELECT count(*)::int AS n FROM accounts.api_keys WHERE partner_id = $1 AND revoked_at IS NULL`, [partnerId]),
      'count of active keys',
    );
    if (n >= MAX_ACTIVE_KEYS) throw conflict(`Partner ${partnerId} already has ${n} active API keys; revoke one first`, { activeKeys: n });
    const personId = await boundPerson(manager, partnerId, input.personId);
    const { row, secret } = await insertKey(manager, partnerId, label, scopes, personId);
    return { apiKey: toView(row), secret };
  });
}

/** A new secret with the same label and scopes; the old key stops working when this commits. */
export async function rotateApiKey(db: DataSource, identity: Identity, rawId: string): Promise<{ apiKey: ApiKeyView; secret: string }> {
  return db.transaction(async (manager) => {
    const old = await lockManagedKey(manager, identity, rawId);
    if (old.revoked_at) throw conflict(`API key ${old.id} is revoked; create a new key instead`, { status: ApiKeyStatus.REVOKED });
    // The partner may have changed kind since: never carry over a scope it may no longer hold.
    const kind = await partnerKind(manager, old.partner_id);
    const allowed = kind === PartnerKind.INTERNAL_TEAM ? INTERNAL_SCOPES : PARTNER_SCOPES;
    const { row, secret } = await insertKey(
      manager,
      old.partner_id,
      old.label,
      old.scopes.filter((s) => allowed.includes(s)),
      // A deactivated person's keys were revoked with it, so a live key's person is ACTIVE.
      old.person_id,
    );
    await revokeRow(manager, old, identity, 'ROTATED', row.id);
    return { apiKey: toView(row), secret };
  });
}

export async function revokeApiKey(db: DataSource, identity: Identity, rawId: string): Promise<ApiKeyView> {
  return db.transaction(async (manager) => toView(await revokeRow(manager, await lockManagedKey(manager, identity, rawId), identity, 'REVOKED', null)));
}
