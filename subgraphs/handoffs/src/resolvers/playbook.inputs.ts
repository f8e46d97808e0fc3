import { ArrayMaxSize, IsOptional, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { HandoffMoment } from '../entities/enums';
import { PlaybookField, PlaybookTaskTemplate, PlaybookTrigger } from '../entities/playbook-parts';

@InputType({ description: 'Publishes a new version of the playbook of a moment.' })
export class PlaybookInput {
  @Field(() => HandoffMoment)
  moment!: HandoffMoment;

  @Field(() => String, { nullable: true, description: 'Required when moment is CUSTOM.' })
  @IsOptional()
  @MaxLength(100)
  customMoment?: string | null;

  @Field()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000)
  description?: string | null;

  @Field(() => PlaybookTrigger, { nullable: true })
  @IsOptional()
  @ValidateNested()
  trigger?: PlaybookTrigger | null;

  @Field(() => [PlaybookField], { defaultValue: [] })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  requiredFields!: PlaybookField[];

  @Field()
  @MinLength(1, { message: 'responsibleRole must not be empty' })
  @MaxLength(200)
  responsibleRole!: string;

  @Field(() => [String], { defaultValue: [] })
  @ArrayMaxSize(50)
  @MaxLength(1000, { each: true })
  customerFacingActions!: string[];

  @Field(() => [PlaybookTaskTemplate], { defaultValue: [] })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  tasks!: PlaybookTaskTemplate[];

  @Field(() => [PlaybookField], { defaultValue: [] })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  deliverables!: PlaybookField[];

  @Field(() => String, { nullable: true, description: 'What changed from the previous version, and why.' })
  @IsOptional()
  @MaxLength(5000)
  changeNote?: string | null;
}
