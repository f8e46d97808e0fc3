import { MaxLength, MinLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { PartnerKind, PartnerStatus, PartnerTier, Region } from '../entities/enums';

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

@InputType({ description: 'What changes in a partner’s directory entry; leave a field out to keep it.' })
export class UpdatePartnerInput {
  @Field({ nullable: true, description: 'Its new name; must not be empty.' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name?: string;

  @Field(() => PartnerTier, { nullable: true, description: 'Its new programme tier (SLA policies and routing read it).' })
  tier?: PartnerTier;

  @Field(() => Region, { nullable: true, description: 'The region it now mainly serves (routing’s TERRITORY reads it).' })
  region?: Region;

  @Field(() => PartnerStatus, {
    nullable: true,
    description:
      'SUSPENDED: its API keys stop working at once (open WebSockets close), it receives no new handoffs and routing skips it; its history stays. ACTIVE: lets it back in with the keys it had.',
  })
  status?: PartnerStatus;
}
