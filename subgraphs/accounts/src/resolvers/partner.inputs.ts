import { MaxLength, MinLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { PartnerKind, PartnerTier, Region } from '../entities/enums';

@InputType({ description: 'A new partner or internal team in the directory.' })
export class CreatePartnerInput {
  @Field({ description: 'Its name as other partners will see it; must not be empty.' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;

  @Field(() => PartnerKind, { description: 'What it is.' })
  kind!: PartnerKind;

  @Field(() => PartnerTier, { defaultValue: PartnerTier.REGISTERED, description: 'Its programme tier. Default: REGISTERED.' })
  tier!: PartnerTier;

  @Field(() => Region, { description: 'The region it mainly serves.' })
  region!: Region;
}
