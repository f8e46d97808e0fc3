import { ArrayMaxSize, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { Contact, CustomerContext } from '../entities/customer-parts';
import { LifecycleStage, Region, Segment } from '../entities/enums';
import { CommercialsInput } from './revenue.inputs';

@InputType({ description: 'Your system’s id for a customer.' })
export class ExternalIdInput {
  @Field({ description: 'Your system’s name, e.g. "acme-reseller-crm"; the same one you pass to upsertCustomers.' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  system!: string;

  @Field({ description: 'The customer’s id in that system; unique within it (a taken one is CONFLICT).' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  externalId!: string;
}

@InputType({ description: 'A new customer record. Its domain must be free: a customer with the same normalized domain is CONFLICT.' })
export class CreateCustomerInput {
  @Field({ description: 'The customer’s name; must not be empty.' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;

  @Field(() => String, { nullable: true, description: 'e.g. "acme.com"; normalized before it is stored.' })
  @IsOptional()
  @MaxLength(253)
  domain?: string | null;

  @Field(() => Segment, { description: 'Its market segment.' })
  segment!: Segment;

  @Field(() => Region, { description: 'Its sales region.' })
  region!: Region;

  @Field(() => LifecycleStage, { defaultValue: LifecycleStage.LEAD, description: 'Where it is now. Default: LEAD.' })
  lifecycleStage!: LifecycleStage;

  @Field(() => [Contact], { nullable: true, description: 'People at the customer.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  contacts?: Contact[] | null;

  @Field(() => CustomerContext, { nullable: true, description: 'What the customer already told you.' })
  @IsOptional()
  @ValidateNested()
  context?: CustomerContext | null;

  @Field(() => ID, { nullable: true, description: 'Internal callers only: who owns it. A partner always creates customers it owns.' })
  @IsOptional()
  ownerPartnerId?: string | null;

  @Field(() => [ExternalIdInput], { nullable: true, description: 'Your systems’ ids for it, so that upsertCustomers and customerByExternalId find it.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  externalIds?: ExternalIdInput[] | null;

  @Field(() => CommercialsInput, {
    nullable: true,
    description: 'Its commercial figures (ARR, pipeline and contract value, term, renewal date); only its owner and internal teams read them.',
  })
  commercials?: CommercialsInput | null;
}

@InputType({ description: 'Only the fields you send change.' })
export class UpdateCustomerInput {
  @Field(() => String, { nullable: true, description: 'A new name; must not be empty.' })
  @IsOptional()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'A new domain, normalized before it is stored; one another customer has is CONFLICT.' })
  @IsOptional()
  @MaxLength(253)
  domain?: string | null;

  @Field(() => Segment, { nullable: true, description: 'A new segment.' })
  @IsOptional()
  segment?: Segment | null;

  @Field(() => Region, { nullable: true, description: 'A new region.' })
  @IsOptional()
  region?: Region | null;

  @Field(() => LifecycleStage, { nullable: true, description: 'A new stage.' })
  @IsOptional()
  lifecycleStage?: LifecycleStage | null;

  @Field(() => [Contact], { nullable: true, description: 'Replaces the whole contact list.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  contacts?: Contact[] | null;

  @Field(() => CustomerContext, { nullable: true, description: 'Replaces the whole context.' })
  @IsOptional()
  @ValidateNested()
  context?: CustomerContext | null;

  @Field(() => CommercialsInput, {
    nullable: true,
    description:
      'Changes its commercial figures (owner and internal teams only, else FORBIDDEN): a figure left out stays, null clears it; a new currency must restate every amount held.',
  })
  commercials?: CommercialsInput | null;
}

@InputType({ description: 'Narrows a customer list; every field given must match.' })
export class CustomerFilter {
  @Field(() => Segment, { nullable: true, description: 'Only customers of this segment.' })
  segment?: Segment | null;

  @Field(() => Region, { nullable: true, description: 'Only customers of this region.' })
  region?: Region | null;

  @Field(() => LifecycleStage, { nullable: true, description: 'Only customers at this stage.' })
  lifecycleStage?: LifecycleStage | null;

  @Field(() => ID, { nullable: true, description: 'Only customers this partner owns.' })
  ownerPartnerId?: string | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive match on name or domain.' })
  @IsOptional()
  @MaxLength(200)
  search?: string | null;
}
