import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { PersonRole } from '../../../../shared/graphql/enums';

export { PersonRole };

export enum PersonStatus {
  ACTIVE = 'ACTIVE',
  DEACTIVATED = 'DEACTIVATED',
}
registerEnumType(PersonStatus, {
  name: 'PersonStatus',
  description: 'Whether a person still works on the hub for its partner.',
  valuesConfig: {
    ACTIVE: { description: 'Can be assigned tasks; API keys bound to the person authenticate.' },
    DEACTIVATED: { description: 'Left: keeps its name on past work, takes no new tasks; its API keys stopped working when it was deactivated.' },
  },
});

/**
 * Someone who works at a partner or internal team. Other subgraphs reference it by id
 * (`Task.assignee`, `Handoff.acceptedBy` …); accounts resolves it for the person's own
 * partner and internal teams only, null for anyone else.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A person at a partner or internal team: assignee of tasks, actor on handoffs. Visible to its own partner and internal teams.' })
export class Person {
  @Field(() => ID, { description: 'Stable id of the person.' })
  id!: string;

  @Field(() => ID, { description: 'The partner or internal team the person works for; never changes.' })
  partnerId!: string;

  @Field({ description: 'The person’s name.' })
  name!: string;

  @Field({ description: 'The person’s e-mail address, as entered; unique per partner whatever the case.' })
  email!: string;

  @Field(() => PersonRole, { description: 'What the person does at its partner; playbook tasks naming this role go to them.' })
  role!: PersonRole;

  @Field(() => PersonStatus, { description: 'ACTIVE, or DEACTIVATED (final).' })
  status!: PersonStatus;

  @Field({ description: 'When the person was added (UTC).' })
  createdAt!: Date;

  @Field({ description: 'When the person last changed (UTC).' })
  updatedAt!: Date;
}

/** A row of accounts.people. */
export interface PersonRow {
  id: string;
  partner_id: string;
  name: string;
  email: string;
  role: PersonRole;
  status: PersonStatus;
  created_at: Date;
  updated_at: Date;
}

export const PERSON_COLUMNS = 'id, partner_id, name, email, role, status, created_at, updated_at';

export const toPerson = (r: PersonRow): Person =>
  Object.assign(new Person(), {
    id: r.id,
    partnerId: r.partner_id,
    name: r.name,
    email: r.email,
    role: r.role,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
