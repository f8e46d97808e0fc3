import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LifecycleStage, PlaybookFieldType } from './enums';

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
      'Whether the hub should propose the due handoff itself to the routed receiver (stored; proposing on its own is a later part). null or false: no.',
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
}
