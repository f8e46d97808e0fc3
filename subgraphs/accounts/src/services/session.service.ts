import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Identity } from '../../../../shared/auth/identity';
import { notifyCredentialRevoked } from '../../../../shared/auth/revocation';
import { oneRow } from '../../../../shared/db/rows';
import { PartnerKind } from '../entities/enums';
import { PersonRole } from '../entities/person.entity';
import { INTERNAL_SCOPES, PARTNER_SCOPES } from './api-key.service';

/**
 * Sessions of people who signed in through the company's OpenID provider (docs/sign-in.md).
 * The gateway verified the ID token and hands accounts the e-mail address; accounts, which
 * owns people, decides who that is and keeps the session. Only a SHA-256 of the secret is
 * stored: the secret lives in the person's HttpOnly cookie and nowhere else.
 */

/** The longest a session may be asked to last (30 days), whatever the caller asks. */
const MAX_TTL_MS = 30 * 24 * 3_600_000;
/** last_seen_at is refreshed at most this often, so that authenticating is a read most of the time. */
const LAST_SEEN_EVERY_MS = 60_000;

export const hashSessionSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
/** `hubs_` + 43 characters of base64url (256 bits). */
const generateSessionSecret = () => `hubs_${randomBytes(32).toString('base64url')}`;

/** What a signed-in person may do: their partner's scopes; managing keys and people only for an ADMIN. */
function sessionScopes(kind: PartnerKind, role: PersonRole): string[] {
  const scopes = kind === PartnerKind.INTERNAL_TEAM ? INTERNAL_SCOPES : PARTNER_SCOPES;
  return role === PersonRole.ADMIN ? [...scopes] : scopes.filter((s) => s !== 'apikeys:manage' && s !== 'admin');
}

function identityOf(row: { id: string; partner_id: string; person_id: string; kind: PartnerKind; role: PersonRole }): Identity {
  return {
    partnerId: row.partner_id,
    role: row.kind === PartnerKind.INTERNAL_TEAM ? 'INTERNAL' : 'PARTNER',
    scopes: sessionScopes(row.kind, row.role),
    credentialId: row.id,
    personId: row.person_id,
  };
}

/** A person the e-mail address names, with its partner. */
interface Candidate {
  person_id: string;
  person_name: string;
  email: string;
  role: PersonRole;
  partner_id: string;
  partner_name: string;
  kind: PartnerKind;
}

/** The outcome of {@link startSession}. */
export type SessionStart =
  | {
      status: 'STARTED';
      /** The secret for the cookie; shown this once. */
      token: string;
      expiresAt: string;
      identity: Identity;
      person: { id: string; name: string; email: string };
      partner: { id: string; name: string };
    }
  /** No ACTIVE person of an ACTIVE partner has the address. */
  | { status: 'UNKNOWN' }
  /** ACTIVE people of several partners have it, and `partnerId` chose none of them. */
  | { status: 'AMBIGUOUS'; partners: { id: string; name: string }[] };

/**
 * Starts a session for the person with `email` (verified by the provider). Addresses match
 * whatever the case, as they are unique per partner. When people of several partners share
 * the address (a consultant working for two), the sign-in names the partner (`partnerId`);
 * without it nobody is chosen for them and the partners are returned to pick from.
 */
export async function startSession(db: DataSource, email: string, ttlMs: number, partnerId?: string): Promise<SessionStart> {
  const address = email.trim();
  if (!address || address.length > 254) return { status: 'UNKNOWN' };
  const candidates: Candidate[] = await db.query(
    `SELECT pe.id AS person_id, pe.name AS person_name, pe.email, pe.role, pa.id AS partner_id, pa.name AS partner_name, pa.kind
       FROM accounts.people pe JOIN accounts.partners pa ON pa.id = pe.partner_id
      WHERE lower(pe.email) = lower($1) AND pe.status = 'ACTIVE' AND pa.status = 'ACTIVE'
      ORDER BY pa.name, pa.id`,
    [address],
  );
  const chosen = candidates.length === 1 ? candidates[0] : candidates.find((c) => c.partner_id === partnerId);
  if (!chosen)
    return candidates.length === 0
      ? { status: 'UNKNOWN' }
      : { status: 'AMBIGUOUS', partners: candidates.map((c) => ({ id: c.partner_id, name: c.partner_name })) };
  const token = generateSessionSecret();
  const ttl = Math.min(Math.max(ttlMs, 60_000), MAX_TTL_MS);
  const rows: { id: string; expires_at: Date }[] = await db.query(
    `INSERT INTO accounts.sessions (partner_id, person_id, secret_hash, expires_at) VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond') RETURNING id, expires_at`,
    [chosen.partner_id, chosen.person_id, hashSessionSecret(token), ttl],
  );
  const session = oneRow(rows, 'INSERT INTO accounts.sessions');
  return {
    status: 'STARTED',
    token,
    expiresAt: session.expires_at.toISOString(),
    identity: identityOf({ id: session.id, partner_id: chosen.partner_id, person_id: chosen.person_id, kind: chosen.kind, role: chosen.role }),
    person: { id: chosen.person_id, name: chosen.person_name, email: chosen.email },
    partner: { id: chosen.partner_id, name: chosen.partner_name },
  };
}

/**
 * The identity behind a session secret and when the session ends, or null when it is
 * unknown, revoked, expired, or its person or partner is no longer ACTIVE (deactivation
 * revokes the sessions too; the check holds even before that commit is visible here).
 */
export async function authenticateSession(db: DataSource, token: string): Promise<{ identity: Identity; expiresAt: string } | null> {
  if (!token.startsWith('hubs_') || token.length > 200) return null;
  const rows: { id: string; partner_id: string; person_id: string; kind: PartnerKind; role: PersonRole; expires_at: Date; stale: boolean }[] = await db.query(
    `SELECT s.id, s.partner_id, s.person_id, pa.kind, pe.role, s.expires_at, s.last_seen_at < now() - $2 * interval '1 millisecond' AS stale
       FROM accounts.sessions s
       JOIN accounts.people pe ON pe.id = s.person_id
       JOIN accounts.partners pa ON pa.id = s.partner_id
      WHERE s.secret_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND pe.status = 'ACTIVE' AND pa.status = 'ACTIVE'`,
    [hashSessionSecret(token), LAST_SEEN_EVERY_MS],
  );
  const row = rows[0];
  if (!row) return null;
  if (row.stale) await db.query(`UPDATE accounts.sessions SET last_seen_at = now() WHERE id = $1`, [row.id]);
  return { identity: identityOf(row), expiresAt: row.expires_at.toISOString() };
}

/** Revokes the rows `where` selects, announcing each to the gateways (on commit). */
async function revokeWhere(manager: Pick<EntityManager, 'query'>, where: string, param: string): Promise<number> {
  const [rows]: [{ id: string; partner_id: string }[], number] = await manager.query(
    `UPDATE accounts.sessions SET revoked_at = now() WHERE ${where} AND revoked_at IS NULL RETURNING id, partner_id`,
    [param],
  );
  for (const row of rows) await notifyCredentialRevoked(manager, { credentialId: row.id, partnerId: row.partner_id, reason: 'REVOKED' });
  return rows.length;
}

/** Sign-out: ends the session whose secret this is (nothing when it is unknown or already over). */
export async function revokeSession(db: DataSource, token: string): Promise<boolean> {
  if (!token.startsWith('hubs_') || token.length > 200) return false;
  return db.transaction(async (manager) => (await revokeWhere(manager, 'secret_hash = $1', hashSessionSecret(token))) > 0);
}

/** Ends every live session of a person, in the caller's transaction (deactivatePerson). */
export const revokeSessionsOfPerson = (manager: EntityManager, personId: string): Promise<number> => revokeWhere(manager, 'person_id = $1', personId);
