import type { EntityManager } from 'typeorm';

/**
 * Postgres channel on which the credential owner (accounts) announces revoked credentials.
 * NOTIFY inside the revoking transaction is delivered only on commit, so every gateway
 * instance listening drops the credential from its cache and closes its WebSockets the
 * moment the revocation is durable, and never for a revocation that rolled back.
 */
export const CREDENTIALS_CHANNEL = 'hub_credentials';

/** The NOTIFY payload: ids only, never a secret or a hash. */
export interface CredentialRevokedNotice {
  credentialId: string;
  partnerId: string;
  reason: 'REVOKED' | 'ROTATED';
}

export async function notifyCredentialRevoked(manager: Pick<EntityManager, 'query'>, notice: CredentialRevokedNotice): Promise<void> {
  await manager.query(`SELECT pg_notify($1, $2)`, [CREDENTIALS_CHANNEL, JSON.stringify(notice)]);
}

/** Parses a notification payload; null for anything malformed. */
export function parseCredentialNotice(payload: string | undefined): CredentialRevokedNotice | null {
  try {
    const p = JSON.parse(payload ?? '') as Partial<CredentialRevokedNotice>;
    if (typeof p.credentialId !== 'string' || typeof p.partnerId !== 'string') return null;
    return { credentialId: p.credentialId, partnerId: p.partnerId, reason: p.reason === 'ROTATED' ? 'ROTATED' : 'REVOKED' };
  } catch {
    return null;
  }
}
