import { ArrayMaxSize, IsEmail, IsOptional, IsString, IsUrl, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';
import { JSONScalar } from '../../../../shared/graphql/json';
import { PlaybookFieldType } from './enums';

@ObjectType({ description: 'A person at the customer the receiver should talk to.' })
@InputType('HandoffContactInput', { description: 'A person at the customer the receiver should talk to.' })
export class HandoffContact {
  @Field({ description: 'Their full name.' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Their e-mail address.' })
  @IsOptional()
  @IsEmail()
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'e.g. "economic buyer", "champion", "admin"' })
  @IsOptional()
  @MaxLength(100)
  role?: string | null;

  @Field(() => String, { nullable: true, description: 'Their phone number, as given.' })
  @IsOptional()
  @MaxLength(50)
  phone?: string | null;
}

/**
 * Everything the sender already knows, so that the receiver never asks the customer again.
 * The receiver sees it from the moment the handoff is proposed, and keeps it if it rejects.
 */
@ObjectType({ description: 'What the receiver needs to take over without asking the customer again.' })
@InputType('ContextPackageInput', { description: 'What the receiver needs to take over without asking the customer again; visible to it before it accepts.' })
export class ContextPackage {
  @Field({ description: 'One paragraph: who the customer is and why it is being handed over now.' })
  @IsString()
  @MinLength(1, { message: 'summary must not be empty' })
  @MaxLength(5000)
  summary!: string;

  @Field(() => [String], { defaultValue: [], description: 'What the customer already told us, in its words.' })
  @ArrayMaxSize(50)
  @MaxLength(2000, { each: true })
  customerSaid!: string[];

  @Field(() => [String], { defaultValue: [], description: 'What the customer wants to achieve.' })
  @ArrayMaxSize(50)
  @MaxLength(500, { each: true })
  goals!: string[];

  @Field(() => [HandoffContact], { defaultValue: [], description: 'Whom the receiver should talk to.' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  contacts!: HandoffContact[];

  @Field(() => [String], { defaultValue: [], description: 'Links to documents, call recordings, proposals.' })
  @ArrayMaxSize(50)
  @IsUrl({ require_protocol: true }, { each: true })
  links!: string[];

  @Field(() => String, { nullable: true, description: 'Anything else the receiver should know.' })
  @IsOptional()
  @MaxLength(10000)
  notes?: string | null;
}

@ObjectType({ description: "One line of the playbook's required-data checklist, against what the handoff carries." })
export class RequiredDataCheck {
  @Field({ description: 'The field’s key in the handoff’s `data`.' })
  name!: string;

  @Field(() => PlaybookFieldType, { description: 'The value it must be.' })
  type!: PlaybookFieldType;

  @Field({ description: 'What the field holds, as the playbook says.' })
  description!: string;

  @Field({ description: 'Whether the playbook requires it.' })
  required!: boolean;

  @Field({ description: 'The handoff carries a well-typed value for it.' })
  present!: boolean;

  @Field(() => JSONScalar, { nullable: true, description: 'What the handoff carries for it; null when absent.' })
  value!: unknown;
}
