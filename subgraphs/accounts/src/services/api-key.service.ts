import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Identity } from '../../../../shared/auth/identity';
import { PartnerKind } from '../entities/enums';
import { oneRow } from '../../../../shared/db/rows';

/** What a partner's key carries by default; `apikeys:manage` lets it rotate its own keys. See shared/auth/scopes.ts. */
export const PARTNER_SCOPES = ['customers:read', 'customers:write', 'handoffs:read', 'handoffs:write', 'feedback:write', 'apikeys:manage'];
export const INTERNAL_SCOPES = [...PARTNER_SCOPES, 'admin'];

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** A new random key: `hub_` + 43 characters of base64url (256 bits). */
export const generateApiKey = () => `hub_${randomBytes(32).toString('base64url')}`;

export async function insertApiKey(manager: EntityManager, partnerId: string, kind: PartnerKind, label: string, key: string): Promise<string> {
  const scopes = kind === PartnerKind.INTERNAL_TEAM ? INTERNAL_SCOPES : PARTNER_SCOPES;
  const rows: { id: string }[] = await manager.query(
    `INSERT INTO accounts.api_keys (partner_id, label, prefix, hash, scopes) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (hash) DO UPDATE SET label = EXCLUDED.label RETURNING id`,
    [partnerId, label, key.slice(0, 12), hashApiKey(key), scopes],
  );
  return oneRow(rows, 'INSERT INTO accounts.api_keys').id;
}

/**
 * The identity behind an API key, or null when unknown, revoked, its partner is suspended
 * or the person it is bound to is deactivated (deactivation also revokes the key; the
 * person check holds even for a key revoked in a transaction not yet visible here).
 */
export async function authenticateApiKey(db: DataSource, key: string): Promise<Identity | null> {
  if (!key || key.length > 200) return null;
  const rows: { id: string; partner_id: string; scopes: string[]; kind: PartnerKind; person_id: string | null }[] = await db.query(
    `SELECT k.id, k.partner_id, k.scopes, p.kind, k.person_id
       FROM accounts.api_keys k JOIN accounts.partners p ON p.id = k.partner_id
       LEFT JOIN accounts.people pe ON pe.id = k.person_id
      WHERE k.hash = $1 AND k.revoked_at IS NULL AND p.status = 'ACTIVE' AND (k.person_id IS NULL OR pe.status = 'ACTIVE')`,
    [hashApiKey(key)],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    partnerId: row.partner_id,
    role: row.kind === PartnerKind.INTERNAL_TEAM ? 'INTERNAL' : 'PARTNER',
    scopes: row.scopes,
    credentialId: row.id,
    ...(row.person_id ? { personId: row.person_id } : {}),
  };
}

/** What the gateway needs to trust a JWT that names a partner: does it exist, is it active, what kind. */
export interface PartnerStanding {
  status: string;
  kind: PartnerKind;
}

export async function partnerStanding(db: DataSource, partnerId: string): Promise<PartnerStanding | null> {
  if (!/^[0-9a-f-]{36}$/i.test(partnerId)) return null;
  const rows: PartnerStanding[] = await db.query(`SELECT status, kind FROM accounts.partners WHERE id = $1`, [partnerId]);
  return rows[0] ?? null;
}
