import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A person at the customer.' })
@InputType('ContactInput')
export class Contact {
  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail()
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'e.g. "economic buyer", "champion", "admin"' })
  @IsOptional()
  @MaxLength(100)
  role?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(50)
  phone?: string | null;
}

@ObjectType({ description: 'What the customer already told us, captured once so that nobody asks again.' })
@InputType('CustomerContextInput')
export class CustomerContext {
  @Field(() => [String])
  @MaxLength(500, { each: true })
  goals!: string[];

  @Field(() => [String])
  @MaxLength(500, { each: true })
  painPoints!: string[];

  @Field(() => String, { nullable: true, description: 'What they use today.' })
  @IsOptional()
  @MaxLength(1000)
  currentSolution?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  timeline?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  budget?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;
}

@ObjectType({ description: "A partner system's own id for this customer." })
export class ExternalId {
  @Field({ description: 'The partner system, e.g. "acme-reseller-crm".' })
  system!: string;

  @Field()
  externalId!: string;
}
