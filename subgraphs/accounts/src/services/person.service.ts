import type { DataSource, EntityManager } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { hasScopes } from '../../../../shared/auth/scopes';
import { oneRow } from '../../../../shared/db/rows';
import { badUserInput, conflict, forbidden, notFound } from '../../../../shared/errors';
import { appendEvent } from '../../../../shared/eventlog/event-log';
import { PERSON_ADDED, PERSON_DEACTIVATED, PERSON_UPDATED, type PersonEventPayload } from '../../../../shared/eventlog/events';
import { assertId } from '../../../../shared/graphql/ids';
import { decodeCursor, pageSize, sqlProbes, toConnection, type Connection } from '../../../../shared/graphql/pagination';
import { PERSON_COLUMNS, PersonRole, PersonStatus, toPerson, type Person, type PersonRow } from '../entities/person.entity';
import { revokeKeysOfPerson } from './api-key-admin.service';
import { revokeSessionsOfPerson } from './session.service';

/** Plain arguments of addPerson / updatePerson (the resolvers map their inputs to these). */
export interface NewPerson {
  partnerId?: string | null;
  name: string;
  email: string;
  role: PersonRole;
}
export interface PersonChange {
  name?: string | null;
  email?: string | null;
  role?: PersonRole | null;
}
export interface PeopleQuery {
  partnerId?: string | null;
  status?: PersonStatus | null;
  role?: PersonRole | null;
  first?: number | null;
  after?: string | null;
}

/** One @, something before it, a dot in the domain, no spaces: what a mail server will take. */
const EMAIL = /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$/;
const EMAIL_UNIQUE = 'people_partner_email_uq';

function validEmail(raw: string, field: string): string {
  const email = raw.trim();
  if (!EMAIL.test(email) || email.length > 254)
    throw badUserInput(`${field} is not a valid e-mail address`, [{ field, message: 'not a valid e-mail address' }]);
  return email;
}

function validName(raw: string, field: string): string {
  const name = raw.trim();
  if (!name) throw badUserInput(`${field} must not be empty`, [{ field, message: 'must not be empty' }]);
  return name;
}

const snapshot = (p: Person): PersonEventPayload['person'] => ({
  id: p.id,
  partnerId: p.partnerId,
  name: p.name,
  email: p.email,
  role: p.role,
  status: p.status,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

async function record(manager: EntityManager, type: string, person: Person, changed: string[], actor: Identity): Promise<void> {
  const payload: PersonEventPayload = { person: snapshot(person), changed };
  await appendEvent(manager, {
    type,
    source: 'accounts',
    aggregateType: 'Person',
    aggregateId: person.id,
    payload: payload as unknown as Record<string, unknown>,
    visibleTo: [person.partnerId],
    actor,
  });
}

/** Internal teams with the admin scope manage everyone's people. */
const mayManageAll = (identity: Identity) => isInternal(identity) && hasScopes(identity, 'admin');

/**
 * Why `identity` may not act as an admin of `partnerId`, or null when it may. A partner's
 * admins are a credential of that partner carrying `apikeys:manage` (the scope that already
 * manages its keys), and, when the credential is bound to a person, only if that person is an
 * ACTIVE ADMIN. Internal admins are admins of every partner. People and notification
 * settings are managed by the same admins.
 */
export async function partnerAdminRefusal(manager: EntityManager, identity: Identity, partnerId: string): Promise<string | null> {
  if (mayManageAll(identity)) return null;
  if (identity.partnerId !== partnerId) return "Only an internal team with the admin scope can manage another partner's people";
  if (!hasScopes(identity, 'apikeys:manage')) return "Managing a partner's people needs the scope apikeys:manage (the partner's admins)";
  if (identity.personId) {
    const [me]: { role: string; status: string }[] = await manager.query(`SELECT role, status FROM accounts.people WHERE id = $1`, [identity.personId]);
    if (me?.role !== PersonRole.ADMIN || me.status !== PersonStatus.ACTIVE) return 'Only a person with the role ADMIN can manage its partner’s people';
  }
  return null;
}

async function assertMayManage(manager: EntityManager, identity: Identity, partnerId: string): Promise<void> {
  const refusal = await partnerAdminRefusal(manager, identity, partnerId);
  if (refusal) throw forbidden(refusal);
}

/** Translates the per-partner e-mail uniqueness violation into CONFLICT; anything else passes. */
async function uniqueEmail<T>(email: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const e = err as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === EMAIL_UNIQUE)
      throw conflict(`Someone at this partner already has the e-mail address ${email}`, { field: 'email' });
    throw err;
  }
}

/** A person the caller may see, locked; NOT_FOUND for anyone else's (hidden = not found). */
async function lockVisiblePerson(manager: EntityManager, identity: Identity, rawId: string): Promise<PersonRow> {
  const id = assertId(rawId, 'id');
  const [row]: PersonRow[] = await manager.query(`SELECT ${PERSON_COLUMNS} FROM accounts.people WHERE id = $1 FOR UPDATE`, [id]);
  if (!row || (row.partner_id !== identity.partnerId && !isInternal(identity))) throw notFound('Person', id);
  return row;
}

export async function addPerson(db: DataSource, identity: Identity, input: NewPerson): Promise<Person> {
  const partnerId = input.partnerId ? assertId(input.partnerId, 'input.partnerId') : identity.partnerId;
  if (!partnerId) throw badUserInput('input.partnerId is required for a caller that acts for no partner', [{ field: 'input.partnerId', message: 'required' }]);
  const name = validName(input.name, 'input.name');
  const email = validEmail(input.email, 'input.email');
  return db.transaction(async (manager) => {
    await assertMayManage(manager, identity, partnerId);
    const [partner]: { id: string }[] = await manager.query(`SELECT id FROM accounts.partners WHERE id = $1`, [partnerId]);
    if (!partner) throw notFound('Partner', partnerId);
    const rows: PersonRow[] = await uniqueEmail(email, () =>
      manager.query(`INSERT INTO accounts.people (partner_id, name, email, role) VALUES ($1, $2, $3, $4) RETURNING ${PERSON_COLUMNS}`, [
        partnerId,
        name,
        email,
        input.role,
      ]),
    );
    const person = toPerson(oneRow(rows, 'INSERT INTO accounts.people'));
    await record(manager, PERSON_ADDED, person, ['name', 'email', 'role', 'status'], identity);
    return person;
  });
}

export async function updatePerson(db: DataSource, identity: Identity, rawId: string, input: PersonChange): Promise<Person> {
  const next: Partial<Record<'name' | 'email' | 'role', string>> = {};
  if (input.name != null) next.name = validName(input.name, 'input.name');
  if (input.email != null) next.email = validEmail(input.email, 'input.email');
  if (input.role != null) next.role = input.role;
  if (Object.keys(next).length === 0) throw badUserInput('input changes nothing: give name, email or role', [{ field: 'input', message: 'empty change' }]);
  return db.transaction(async (manager) => {
    const row = await lockVisiblePerson(manager, identity, rawId);
    await assertMayManage(manager, identity, row.partner_id);
    if (row.status === PersonStatus.DEACTIVATED) throw conflict(`Person ${row.id} is deactivated and can no longer change`, { status: row.status });
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== row[k]);
    if (changed.length === 0) return toPerson(row);
    const sets = changed.map((k, i) => `${k} = $${i + 2}`);
    const [rows]: [PersonRow[], number] = await uniqueEmail(next.email ?? row.email, () =>
      manager.query(`UPDATE accounts.people SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 RETURNING ${PERSON_COLUMNS}`, [
        row.id,
        ...changed.map((k) => next[k]),
      ]),
    );
    const person = toPerson(oneRow(rows, 'UPDATE accounts.people'));
    await record(manager, PERSON_UPDATED, person, changed, identity);
    return person;
  });
}

/**
 * Final: the person keeps its name on past work, takes no new tasks, and every API key
 * bound to it and every sign-in session of it is revoked in the same transaction (gateways
 * forget them and close their WebSockets on commit).
 * Deactivating twice changes nothing.
 */
export async function deactivatePerson(db: DataSource, identity: Identity, rawId: string): Promise<Person> {
  return db.transaction(async (manager) => {
    const row = await lockVisiblePerson(manager, identity, rawId);
    await assertMayManage(manager, identity, row.partner_id);
    if (row.status === PersonStatus.DEACTIVATED) return toPerson(row);
    const [rows]: [PersonRow[], number] = await manager.query(
      `UPDATE accounts.people SET status = 'DEACTIVATED', updated_at = now() WHERE id = $1 RETURNING ${PERSON_COLUMNS}`,
      [row.id],
    );
    const person = toPerson(oneRow(rows, 'UPDATE accounts.people (deactivate)'));
    await revokeKeysOfPerson(manager, person.id, identity);
    await revokeSessionsOfPerson(manager, person.id);
    await record(manager, PERSON_DEACTIVATED, person, ['status'], identity);
    return person;
  });
}

/**
 * A partner's people, oldest first. A partner lists only its own (naming another is
 * FORBIDDEN); internal teams any partner's. Default: the caller's partner.
 */
export async function listPeople(db: DataSource, identity: Identity, opts: PeopleQuery): Promise<Connection<Person>> {
  const partnerId = opts.partnerId ? assertId(opts.partnerId, 'partnerId') : identity.partnerId;
  if (!partnerId) throw badUserInput('partnerId is required for a caller that acts for no partner', [{ field: 'partnerId', message: 'required' }]);
  if (partnerId !== identity.partnerId && !isInternal(identity)) throw forbidden("A partner sees only its own people; internal teams see any partner's");
  const limit = pageSize(opts.first);
  const cursor = decodeCursor(opts.after, 2);
  const params: unknown[] = [partnerId];
  let filtered = 'FROM accounts.people WHERE partner_id = $1';
  if (opts.status) filtered += ` AND status = $${params.push(opts.status)}`;
  if (opts.role) filtered += ` AND role = $${params.push(opts.role)}`;
  const base = [...params];
  const at = cursor ? `($${params.push(cursor[0])}::timestamptz, $${params.push(cursor[1])}::uuid)` : '';
  const rows: PersonRow[] = await db.query(
    `SELECT ${PERSON_COLUMNS} ${filtered} ${cursor ? `AND (created_at, id) > ${at}` : ''} ORDER BY created_at, id LIMIT $${params.push(limit + 1)}`,
    params,
  );
  return toConnection(
    rows.map(toPerson),
    limit,
    (p) => [p.createdAt.toISOString(), p.id],
    sqlProbes(
      db,
      [`SELECT 1 ${filtered}`, base],
      cursor ? [`SELECT 1 ${filtered} AND (created_at, id) <= ${at}`, params.slice(0, base.length + 2)] : undefined,
    ),
  );
}
