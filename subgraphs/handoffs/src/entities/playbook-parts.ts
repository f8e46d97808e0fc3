import { PersonRole } from '../../../../shared/graphql/enums';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LifecycleStage, PlaybookFieldRole, PlaybookFieldType } from './enums';
import { RoutingOwnerKind } from './routing.entity';

@ObjectType({ description: 'A piece of data the playbook asks for (at proposal) or asks back (at completion).' })
@InputType('PlaybookFieldInput', { description: 'A piece of data a playbook asks for (at proposal) or asks back (at completion).' })
export class PlaybookField {
  @Field({ description: 'The key in `data` (proposal) or `deliverables` (completion).' })
  @Matches(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, { message: 'name must start with a letter and hold only letters, digits and _ (max 63)' })
  name!: string;

  @Field(() => PlaybookFieldType, { description: 'The value it must be; see PlaybookFieldType.' })
  type!: PlaybookFieldType;

  @Field({ description: 'What to put there, for the person filling it in.' })
  @IsString()
  @MinLength(1, { message: 'description must not be empty' })
  @MaxLength(1000)
  description!: string;

  @Field({
    defaultValue: true,
    description:
      'Whether the handoff needs it: a missing required field is BAD_USER_INPUT on proposeHandoff (data) or completeHandoff (deliverables); an optional one is checked only when present.',
  })
  required!: boolean;

  @Field(() => PlaybookFieldRole, {
    nullable: true,
    description:
      'What the field stands for: VALUE makes it the handoff’s value (Handoff.value). At most one VALUE field per playbook, of type MONEY, among the required data (not the deliverables); BAD_USER_INPUT otherwise. null: no role.',
  })
  @IsOptional()
  role?: PlaybookFieldRole | null;

  @Field(() => Boolean, {
    defaultValue: false,
    description:
      'Whether the customer sees this field’s value on its journey page (issueCustomerJourneyLink): a required-data field with the value the handoff was proposed with, a deliverable once the handoff is completed. Default false: the value stays between the partners.',
  })
  @IsOptional()
  customerVisible?: boolean;
}

@ObjectType({ description: 'When the moment happens: the lifecycle stages the customer moves between.' })
@InputType('PlaybookTriggerInput', { description: 'When a handoff moment happens.' })
export class PlaybookTrigger {
  @Field(() => LifecycleStage, { nullable: true, description: 'The lifecycle stage the customer leaves; null = any.' })
  @IsOptional()
  fromStage?: LifecycleStage | null;

  @Field(() => LifecycleStage, { nullable: true, description: 'The lifecycle stage the customer enters; null = any.' })
  @IsOptional()
  toStage?: LifecycleStage | null;

  @Field(() => String, { nullable: true, description: 'The event in words, e.g. "lead score reaches 70".' })
  @IsOptional()
  @MaxLength(500)
  description?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'How soon after the stage move the handoff should be proposed, as an ISO-8601 duration ("P2D", "PT4H", "P1DT12H"); HandoffDue.dueAt adds it in wall-clock UTC. BAD_USER_INPUT when it is not a positive duration. null: no due time.',
  })
  @IsOptional()
  @MaxLength(50)
  proposeWithin?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Whether the hub proposes the due handoff itself, as soon as it is due, to the receiver routing picks, with the customer’s context and the required data its record holds; while required data is missing the due stays OPEN and HandoffDue.missingData names it. null or false: no.',
  })
  @IsOptional()
  autoPropose?: boolean | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'The internal team accountable for a due handoff of a customer we hold directly (no owner); must be an INTERNAL_TEAM of the directory. null: any internal team. A customer with an owner: the owner is accountable.',
  })
  @IsOptional()
  accountableTeamId?: string | null;

  @Field(() => RoutingOwnerKind, {
    nullable: true,
    description:
      'The kind of owner a customer in `toStage` should have once the moment has happened, e.g. SERVICE_PROVIDER for onboarding (DIRECT: we hold it ourselves). A customer in `toStage` held by another kind of owner, with no handoff of this moment open or due, is an ownership gap (ownershipGaps, HANDOFF_MISSING). null: the playbook does not say, and no such gap is listed.',
  })
  @IsOptional()
  receiverKind?: RoutingOwnerKind | null;
}

/** ISO-8601 durations Postgres' interval reads as they are: years to seconds, or weeks. */
const ISO_DURATION = /^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

/** Whether `value` is an ISO-8601 duration longer than zero. */
export const isPositiveIsoDuration = (value: string): boolean => ISO_DURATION.test(value) && /[1-9]/.test(value);

@ObjectType({ description: 'A task created for the new owner when a handoff under this playbook is accepted.' })
@InputType('PlaybookTaskInput', { description: 'A task the new owner gets when a handoff under the playbook is accepted.' })
export class PlaybookTaskTemplate {
  @Field({ description: 'The task’s title, e.g. "Schedule the kickoff call".' })
  @IsString()
  @MinLength(1, { message: 'title must not be empty' })
  @MaxLength(200)
  title!: string;

  @Field(() => String, { nullable: true, description: 'What the task involves.' })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;

  @Field(() => Int, { nullable: true, description: 'Due this many calendar days after acceptance.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  dueInDays?: number | null;

  @Field(() => PersonRole, {
    nullable: true,
    description:
      'Who at the receiving partner should take it: on acceptance the task goes to the one ACTIVE person with this role; with none or several it stays with the partner, unassigned (assignTask).',
  })
  @IsOptional()
  assigneeRole?: PersonRole | null;
}
