import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { badUserInput, forbidden } from '../../../../shared/errors';
import { appendEvent } from '../../../../shared/eventlog/event-log';
import { PLAYBOOK_PUBLISHED } from '../../../../shared/eventlog/events';
import { HandoffMoment, PlaybookFieldRole, PlaybookFieldType } from '../entities/enums';
import { isPositiveIsoDuration, type PlaybookTrigger } from '../entities/playbook-parts';
import { isUuid } from '../../../../shared/graphql/ids';
import type { Playbook } from '../entities/playbook.entity';
import type { PlaybookInput } from '../resolvers/playbook.inputs';
import { PLAYBOOK_COLUMNS, toPlaybook } from './handoff-store';
import type { Sql } from './sql';

/** Versions count per moment, and per name for CUSTOM moments. */
export const momentKey = (moment: HandoffMoment, customMoment: string | null | undefined) =>
  moment === HandoffMoment.CUSTOM ? `CUSTOM:${(customMoment ?? '').trim().toLowerCase()}` : moment;

/** Normalises a CUSTOM moment's name, BAD_USER_INPUT when it is missing or given for a named moment. */
export function customMomentOf(moment: HandoffMoment, customMoment: string | null | undefined, field: string): string | null {
  const name = customMoment?.trim() ?? '';
  if (moment === HandoffMoment.CUSTOM) {
    if (!name) throw badUserInput(`${field} is required when the moment is CUSTOM`, [{ field, message: 'required for CUSTOM moments' }]);
    return name;
  }
  if (name) throw badUserInput(`${field} is only for CUSTOM moments (the moment is ${moment})`, [{ field, message: 'only for CUSTOM moments' }]);
  return null;
}

/** The newest version for a moment, or null when none was published. */
export async function currentPlaybook(sql: Sql, key: string): Promise<Playbook | null> {
  const rows: object[] = await sql.query(`SELECT ${PLAYBOOK_COLUMNS} FROM handoffs.playbooks p WHERE p.moment_key = $1 ORDER BY p.version DESC LIMIT 1`, [key]);
  return rows[0] ? toPlaybook(rows[0]) : null;
}

export async function playbookById(sql: Sql, id: string): Promise<Playbook | null> {
  const rows: object[] = await sql.query(`SELECT ${PLAYBOOK_COLUMNS} FROM handoffs.playbooks p WHERE p.id = $1`, [id]);
  return rows[0] ? toPlaybook(rows[0]) : null;
}

/**
 * Inserts the next version of a moment's playbook (versions serialise on an advisory lock
 * per moment) and records PlaybookPublished. Handoffs already running keep their version.
 */
export async function insertPlaybookVersion(sql: Sql, input: PlaybookInput, actor: Identity | null, publishedAt?: Date): Promise<Playbook> {
  const customMoment = customMomentOf(input.moment, input.customMoment, 'input.customMoment');
  const key = momentKey(input.moment, customMoment);
  const names = new Set<string>();
  const problems: { field: string; message: string }[] = [];
  for (const [list, fields] of [
    ['requiredFields', input.requiredFields],
    ['deliverables', input.deliverables],
  ] as const) {
    names.clear();
    fields.forEach((f, i) => {
      if (names.has(f.name)) problems.push({ field: `input.${list}.${i}.name`, message: `"${f.name}" appears twice` });
      names.add(f.name);
    });
  }
  // The value of a handoff is read from its proposal's data: one VALUE field at most, a MONEY one.
  const valueFields = input.requiredFields.map((f, i) => ({ f, i })).filter(({ f }) => f.role === PlaybookFieldRole.VALUE);
  for (const { f, i } of valueFields) {
    if (f.type !== PlaybookFieldType.MONEY) {
      problems.push({ field: `input.requiredFields.${i}.role`, message: `a VALUE field must be of type MONEY ("${f.name}" is ${f.type})` });
    }
  }
  for (const { f, i } of valueFields.slice(1)) {
    problems.push({
      field: `input.requiredFields.${i}.role`,
      message: `only one VALUE field per playbook ("${valueFields[0]!.f.name}" already is; "${f.name}" cannot be too)`,
    });
  }
  input.deliverables.forEach((f, i) => {
    if (f.role)
      problems.push({ field: `input.deliverables.${i}.role`, message: 'a deliverable has no role: the value is read from the required data at proposal' });
  });
  const trigger: Partial<PlaybookTrigger> = input.trigger ?? {};
  if (trigger.proposeWithin != null && !isPositiveIsoDuration(trigger.proposeWithin.trim())) {
    problems.push({ field: 'input.trigger.proposeWithin', message: `"${trigger.proposeWithin}" is not a positive ISO-8601 duration (e.g. "P2D", "PT4H")` });
  }
  if (trigger.accountableTeamId != null) {
    if (!isUuid(trigger.accountableTeamId)) problems.push({ field: 'input.trigger.accountableTeamId', message: 'must be a partner id' });
    else {
      const [team]: { kind: string }[] = await sql.query(`SELECT kind FROM handoffs.partners WHERE id = $1`, [trigger.accountableTeamId]);
      if (team?.kind !== 'INTERNAL_TEAM') problems.push({ field: 'input.trigger.accountableTeamId', message: 'must be an internal team of the directory' });
    }
  }
  if (problems.length) throw badUserInput(`Invalid input: ${problems.map((d) => `${d.field} ${d.message}`).join('; ')}`, problems);
  // Only the keys given: playbooks published before these fields read as they did.
  const storedTrigger = {
    ...trigger,
    ...(trigger.proposeWithin != null ? { proposeWithin: trigger.proposeWithin.trim() } : {}),
    ...(trigger.accountableTeamId != null ? { accountableTeamId: trigger.accountableTeamId.toLowerCase() } : {}),
  };

  await sql.query(`SELECT pg_advisory_xact_lock(hashtext('handoffs.playbook:' || $1))`, [key]);
  const rows: object[] = await sql.query(
    `INSERT INTO handoffs.playbooks (moment, custom_moment, moment_key, version, name, description, trigger, required_fields, responsible_role,
                                     customer_facing_actions, tasks, deliverables, change_note, published_by_partner_id, published_at, customer_visible_context)
     SELECT $1, $2, $3, COALESCE(MAX(version), 0) + 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, COALESCE($14, now()), $15
       FROM handoffs.playbooks WHERE moment_key = $3
     RETURNING id`,
    [
      input.moment,
      customMoment,
      key,
      input.name.trim(),
      input.description ?? null,
      JSON.stringify(storedTrigger),
      JSON.stringify(
        input.requiredFields.map(({ role, ...f }) => ({
          ...f,
          required: f.required ?? true,
          customerVisible: f.customerVisible ?? false,
          ...(role ? { role } : {}),
        })),
      ),
      input.responsibleRole.trim(),
      JSON.stringify(input.customerFacingActions ?? []),
      JSON.stringify(input.tasks ?? []),
      JSON.stringify(input.deliverables.map(({ role: _role, ...f }) => ({ ...f, required: f.required ?? true, customerVisible: f.customerVisible ?? false }))),
      input.changeNote ?? null,
      actor?.partnerId ?? null,
      publishedAt ?? null,
      JSON.stringify([...new Set(input.customerVisibleContext ?? [])]),
    ],
  );
  const playbook = (await playbookById(sql, (rows[0] as { id: string }).id))!;
  await appendEvent(sql, {
    type: PLAYBOOK_PUBLISHED,
    source: 'handoffs',
    aggregateType: 'Playbook',
    aggregateId: playbook.id,
    payload: { playbook: { ...playbook, publishedAt: playbook.publishedAt.toISOString() } },
    visibleTo: [],
    actor,
  });
  return playbook;
}

/** publishPlaybook: internal teams only. */
export async function publishPlaybook(db: DataSource, identity: Identity, input: PlaybookInput): Promise<Playbook> {
  if (!isInternal(identity)) throw forbidden('Only internal teams can publish playbooks');
  return db.transaction((manager) => insertPlaybookVersion(manager, input, identity));
}
