import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A person at the customer.' })
@InputType('ContactInput', { description: 'A person at the customer.' })
export class Contact {
  @Field({ description: 'The person’s full name.' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Their e-mail address; upsertCustomers merges contacts on it.' })
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

@ObjectType({ description: 'What the customer already told us, captured once so that nobody asks again.' })
@InputType('CustomerContextInput', { description: 'What the customer already told you, so that nobody asks again.' })
export class CustomerContext {
  @Field(() => [String], { description: 'What the customer wants to achieve, in its words.' })
  @MaxLength(500, { each: true })
  goals!: string[];

  @Field(() => [String], { description: 'What hurts today, in its words.' })
  @MaxLength(500, { each: true })
  painPoints!: string[];

  @Field(() => String, { nullable: true, description: 'What they use today.' })
  @IsOptional()
  @MaxLength(1000)
  currentSolution?: string | null;

  @Field(() => String, { nullable: true, description: 'When they need it, as they said it, e.g. "live before Q3".' })
  @IsOptional()
  @MaxLength(200)
  timeline?: string | null;

  @Field(() => String, { nullable: true, description: 'What they said about budget, as free text, e.g. "approved up to 50k EUR".' })
  @IsOptional()
  @MaxLength(200)
  budget?: string | null;

  @Field(() => String, { nullable: true, description: 'Anything else worth knowing.' })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;
}

@ObjectType({ description: "A partner system's own id for this customer." })
export class ExternalId {
  @Field({ description: 'The partner system, e.g. "acme-reseller-crm".' })
  system!: string;

  @Field({ description: 'The customer’s id in that system.' })
  externalId!: string;
}
