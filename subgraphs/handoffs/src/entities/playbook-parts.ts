import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { LifecycleStage, PlaybookFieldType } from './enums';

@ObjectType({ description: 'A piece of data the playbook asks for (at proposal) or asks back (at completion).' })
@InputType('PlaybookFieldInput')
export class PlaybookField {
  @Field({ description: 'The key in `data` (proposal) or `deliverables` (completion).' })
  @Matches(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, { message: 'name must start with a letter and hold only letters, digits and _ (max 63)' })
  name!: string;

  @Field(() => PlaybookFieldType)
  type!: PlaybookFieldType;

  @Field()
  @IsString()
  @MinLength(1, { message: 'description must not be empty' })
  @MaxLength(1000)
  description!: string;

  @Field({ defaultValue: true })
  required!: boolean;
}

@ObjectType({ description: 'When the moment happens: the lifecycle stages the customer moves between.' })
@InputType('PlaybookTriggerInput')
export class PlaybookTrigger {
  @Field(() => LifecycleStage, { nullable: true })
  @IsOptional()
  fromStage?: LifecycleStage | null;

  @Field(() => LifecycleStage, { nullable: true })
  @IsOptional()
  toStage?: LifecycleStage | null;

  @Field(() => String, { nullable: true, description: 'The event in words, e.g. "lead score reaches 70".' })
  @IsOptional()
  @MaxLength(500)
  description?: string | null;
}

@ObjectType({ description: 'A task created for the new owner when a handoff under this playbook is accepted.' })
@InputType('PlaybookTaskInput')
export class PlaybookTaskTemplate {
  @Field()
  @IsString()
  @MinLength(1, { message: 'title must not be empty' })
  @MaxLength(200)
  title!: string;

  @Field(() => String, { nullable: true })
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
