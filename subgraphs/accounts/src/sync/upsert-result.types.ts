import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Customer } from '../entities/customer.entity';

export enum UpsertOutcome {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  MATCHED = 'MATCHED',
  UNCHANGED = 'UNCHANGED',
  CONFLICT = 'CONFLICT',
  INVALID = 'INVALID',
}

export enum UpsertMatch {
  EXTERNAL_ID = 'EXTERNAL_ID',
  DOMAIN = 'DOMAIN',
}

registerEnumType(UpsertOutcome, {
  name: 'UpsertOutcome',
  description: 'What one upsertCustomers row did.',
  valuesConfig: {
    CREATED: { description: 'No record matched: a new customer, owned by the caller.' },
    UPDATED: { description: 'A record matched and the row changed it (its version moved).' },
    MATCHED: { description: 'A record matched by domain; the external id is now linked to it and nothing else changed.' },
    UNCHANGED: { description: 'The row matched by external id and changes nothing.' },
    CONFLICT: { description: 'Not applied: see reasonCode.' },
    INVALID: { description: 'Not applied: the row is malformed; see invalidFields.' },
  },
});
registerEnumType(UpsertMatch, {
  name: 'UpsertMatch',
  description: 'How an upsertCustomers row found its record.',
  valuesConfig: {
    EXTERNAL_ID: { description: 'By (system, externalId), linked before.' },
    DOMAIN: { description: 'By the customer’s normalized domain.' },
  },
});

@ObjectType({ description: 'What happened to one row, in input order.' })
export class UpsertRowResult {
  @Field(() => Int, { description: 'Position of the row in the input.' })
  index!: number;

  @Field({ description: 'The row’s externalId, as sent.' })
  externalId!: string;

  @Field(() => UpsertOutcome, { description: 'What the row did.' })
  outcome!: UpsertOutcome;

  @Field(() => ID, { nullable: true, description: 'The customer, when there is one the caller may see.' })
  customerId!: string | null;

  @Field(() => Int, { nullable: true, description: 'The record’s version after the row.' })
  version!: number | null;

  @Field(() => UpsertMatch, { nullable: true, description: 'How the row found its record; null when it created one or was not applied.' })
  matchedBy!: UpsertMatch | null;

  @Field(() => [String], { description: 'Fields this row changed.' })
  changedFields!: string[];

  @Field(() => [String], { description: 'Fields the merge rules did not let this row write.' })
  ignoredFields!: string[];

  @Field(() => [String], { description: 'INVALID rows: the fields at fault (e.g. "input[3].name").' })
  invalidFields!: string[];

  @Field(() => String, {
    nullable: true,
    description: 'Why a row is CONFLICT or INVALID: STALE_VERSION, OWNERSHIP_CLAIMED, NO_ACCESS, EXTERNAL_ID_TAKEN, BUSY (send it again) or INVALID_INPUT.',
  })
  reasonCode!: string | null;

  @Field(() => String, { nullable: true, description: 'Why a row is CONFLICT or INVALID, for a developer to act on.' })
  reason!: string | null;

  @Field(() => Customer, { nullable: true, description: 'STALE_VERSION conflicts: the record as it is now.' })
  current!: Customer | null;
}

@ObjectType({ description: 'The outcome of a bulk sync: every row, and counts per outcome.' })
export class UpsertResult {
  @Field(() => [UpsertRowResult], { description: 'One result per input row, in input order.' })
  rows!: UpsertRowResult[];

  @Field(() => Int, { description: 'Rows that created a customer.' })
  created!: number;

  @Field(() => Int, { description: 'Rows that changed a record.' })
  updated!: number;

  @Field(() => Int, { description: 'Rows that linked their external id to a record found by domain.' })
  matched!: number;

  @Field(() => Int, { description: 'Rows that matched and changed nothing.' })
  unchanged!: number;

  @Field(() => Int, { description: 'Rows not applied because of a conflict (see each row’s reasonCode).' })
  conflicts!: number;

  @Field(() => Int, { description: 'Rows not applied because they are malformed (see each row’s invalidFields).' })
  invalid!: number;
}
