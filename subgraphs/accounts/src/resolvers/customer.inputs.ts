import { ArrayMaxSize, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { Contact, CustomerContext } from '../entities/customer-parts';
import { LifecycleStage, Region, Segment } from '../entities/enums';

@InputType()
export class ExternalIdInput {
  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  system!: string;

  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  externalId!: string;
}

@InputType()
export class CreateCustomerInput {
  @Field()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;

  @Field(() => String, { nullable: true, description: 'e.g. "acme.com"; normalized before it is stored.' })
  @IsOptional()
  @MaxLength(253)
  domain?: string | null;

  @Field(() => Segment)
  segment!: Segment;

  @Field(() => Region)
  region!: Region;

  @Field(() => LifecycleStage, { defaultValue: LifecycleStage.LEAD })
  lifecycleStage!: LifecycleStage;

  @Field(() => [Contact], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  contacts?: Contact[] | null;

  @Field(() => CustomerContext, { nullable: true })
  @IsOptional()
  @ValidateNested()
  context?: CustomerContext | null;

  @Field(() => ID, { nullable: true, description: 'Internal callers only: who owns it. A partner always creates customers it owns.' })
  @IsOptional()
  ownerPartnerId?: string | null;

  @Field(() => [ExternalIdInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  externalIds?: ExternalIdInput[] | null;
}

@InputType({ description: 'Only the fields you send change.' })
export class UpdateCustomerInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(253)
  domain?: string | null;

  @Field(() => Segment, { nullable: true })
  @IsOptional()
  segment?: Segment | null;

  @Field(() => Region, { nullable: true })
  @IsOptional()
  region?: Region | null;

  @Field(() => LifecycleStage, { nullable: true })
  @IsOptional()
  lifecycleStage?: LifecycleStage | null;

  @Field(() => [Contact], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  contacts?: Contact[] | null;

  @Field(() => CustomerContext, { nullable: true })
  @IsOptional()
  @ValidateNested()
  context?: CustomerContext | null;
}

@InputType()
export class CustomerFilter {
  @Field(() => Segment, { nullable: true })
  segment?: Segment | null;

  @Field(() => Region, { nullable: true })
  region?: Region | null;

  @Field(() => LifecycleStage, { nullable: true })
  lifecycleStage?: LifecycleStage | null;

  @Field(() => ID, { nullable: true })
  ownerPartnerId?: string | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive match on name or domain.' })
  @IsOptional()
  @MaxLength(200)
  search?: string | null;
}
