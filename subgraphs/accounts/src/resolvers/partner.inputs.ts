import { MaxLength, MinLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { PartnerKind, PartnerTier, Region } from '../entities/enums';

@InputType()
export class CreatePartnerInput {
  @Field()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;

  @Field(() => PartnerKind)
  kind!: PartnerKind;

  @Field(() => PartnerTier, { defaultValue: PartnerTier.REGISTERED })
  tier!: PartnerTier;

  @Field(() => Region)
  region!: Region;
}
