import { ArrayMaxSize, IsOptional, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { CustomerContextPart, HandoffMoment } from '../entities/enums';
import { PlaybookField, PlaybookTaskTemplate, PlaybookTrigger } from '../entities/playbook-parts';

@InputType({ description: 'Publishes a new version of the playbook of a moment.' })
export class PlaybookInput {
  @Field(() => HandoffMoment, { description: 'The handoff moment it governs.' })
  moment!: HandoffMoment;

  @Field(() => String, { nullable: true, description: 'Required when moment is CUSTOM.' })
  @IsOptional()
  @MaxLength(100)
  customMoment?: string | null;

  @Field({ description: 'Its title, e.g. "Closed-won to onboarding".' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the playbook is for, in a few sentences.' })
  @IsOptional()
  @MaxLength(5000)
  description?: string | null;

  @Field(() => PlaybookTrigger, { nullable: true, description: 'When the moment happens. Default: no stages (any).' })
  @IsOptional()
  @ValidateNested()
  trigger?: PlaybookTrigger | null;

  @Field(() => [PlaybookField], { defaultValue: [], description: 'What proposeHandoff must carry in `data`; names must be unique.' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  requiredFields!: PlaybookField[];

  @Field({ description: 'Who is accountable on the receiving side, e.g. "Onboarding manager".' })
  @MinLength(1, { message: 'responsibleRole must not be empty' })
  @MaxLength(200)
  responsibleRole!: string;

  @Field(() => [String], { defaultValue: [], description: 'What the customer experiences, in order.' })
  @ArrayMaxSize(50)
  @MaxLength(1000, { each: true })
  customerFacingActions!: string[];

  @Field(() => [CustomerContextPart], {
    defaultValue: [],
    description:
      'Which parts of the context package the customer sees on its journey page (SUMMARY, GOALS, CUSTOMER_SAID); default none. Versioned with the playbook: a handoff shows what its own version says.',
  })
  @ArrayMaxSize(3)
  customerVisibleContext?: CustomerContextPart[];

  @Field(() => [PlaybookTaskTemplate], { defaultValue: [], description: 'Tasks created for the new owner on acceptance.' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  tasks!: PlaybookTaskTemplate[];

  @Field(() => [PlaybookField], { defaultValue: [], description: 'What completeHandoff must carry in `deliverables`; names must be unique.' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  deliverables!: PlaybookField[];

  @Field(() => String, { nullable: true, description: 'What changed from the previous version, and why.' })
  @IsOptional()
  @MaxLength(5000)
  changeNote?: string | null;
}
