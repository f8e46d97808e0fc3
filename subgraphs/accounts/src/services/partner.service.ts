import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { notifyCredentialRevoked } from '../../../../shared/auth/revocation';
import { badUserInput, forbidden, notFound } from '../../../../shared/errors';
import { assertId } from '../../../../shared/graphql/ids';
import { PartnerStatus, type PartnerTier, type Region } from '../entities/enums';
import { Partner } from '../entities/partner.entity';
import { recordPartnerUpdated } from './customer-events';

export interface PartnerChanges {
  name?: string | null;
  tier?: PartnerTier | null;
  region?: Region | null;
  status?: PartnerStatus | null;
}

const FIELDS = ['name', 'tier', 'region', 'status'] as const;

/**
 * An internal team edits a directory entry. The row is locked, so two edits apply one after
 * the other; PartnerUpdated (what changed, and the partner after) is in the same
 * transaction. Suspending a partner tells every gateway to forget its API keys and close
 * its WebSockets on commit (the credential notice), so the next request re-authenticates and
 * is refused; the keys themselves stay, for when the partner is let back in.
 */
export async function updatePartner(db: DataSource, identity: Identity, rawId: string, input: PartnerChanges): Promise<Partner> {
  if (!isInternal(identity)) throw forbidden('Only internal teams can change the partner directory');
  const id = assertId(rawId, 'id');
  const changes: Partial<Pick<Partner, (typeof FIELDS)[number]>> = {};
  if (input.name !== undefined && input.name !== null) {
    const name = input.name.trim();
    if (!name) throw badUserInput('input.name must not be empty', [{ field: 'input.name', message: 'must not be empty' }]);
    changes.name = name;
  }
  if (input.tier) changes.tier = input.tier;
  if (input.region) changes.region = input.region;
  if (input.status) changes.status = input.status;
  if (Object.keys(changes).length === 0) throw badUserInput('input has no fields to change', [{ field: 'input', message: 'empty' }]);

  return db.transaction(async (manager) => {
    const current = await manager.getRepository(Partner).createQueryBuilder('p').setLock('pessimistic_write').where('p.id = :id', { id }).getOne();
    if (!current) throw notFound('Partner', id);
    const changed = FIELDS.filter((k) => k in changes && changes[k] !== current[k]);
    if (changed.length === 0) return current;
    if (changes.status === PartnerStatus.SUSPENDED && current.id === identity.partnerId)
      throw badUserInput('An internal team cannot suspend itself', [{ field: 'input.status', message: 'your own team' }]);
    Object.assign(current, changes);
    await manager.save(current);
    await recordPartnerUpdated(manager, current, identity, [...changed]);
    if (changed.includes('status') && current.status === PartnerStatus.SUSPENDED) {
      const keys: { id: string }[] = await manager.query(`SELECT id FROM accounts.api_keys WHERE partner_id = $1 AND revoked_at IS NULL`, [id]);
      for (const key of keys) await notifyCredentialRevoked(manager, { credentialId: key.id, partnerId: id, reason: 'REVOKED' });
    }
    return current;
  });
}
