import { ArrayMaxSize, IsBoolean, IsInt, IsOptional, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { HandoffMoment, Region, Segment } from '../../../../shared/graphql/enums';
import { RoutingOwnerKind, RoutingStrategy } from '../entities/routing.entity';

@InputType({ description: 'A partner or team a routing rule may route to, and what it takes on.' })
export class RoutingCandidateInput {
  @Field(() => ID, { description: 'The partner or internal team; BAD_USER_INPUT when the directory does not know it.' })
  @IsUUID()
  partnerId!: string;

  @Field(() => Int, { defaultValue: 1, description: 'Its share under WEIGHTED, 1–1,000 (ignored by the other strategies).' })
  @IsInt()
  @Min(1)
  @Max(1000)
  weight!: number;

  @Field(() => [Region], { defaultValue: [], description: 'The regions it serves under TERRITORY; empty: the partner’s own region.' })
  @ArrayMaxSize(10)
  regions!: Region[];

  @Field(() => [Segment], { defaultValue: [], description: 'The segments it serves under TERRITORY; empty: every segment.' })
  @ArrayMaxSize(10)
  segments!: Segment[];

  @Field(() => Int, {
    nullable: true,
    description: 'Under CAPACITY: the most open (PROPOSED or ACCEPTED) handoffs it holds before it is skipped; null: no limit.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  maxOpen?: number | null;

  @Field({
    defaultValue: false,
    description: 'Under CAPACITY: skipped while true (holidays, a full bench); ROUND_ROBIN turns pass it by without shifting the others.',
  })
  @IsBoolean()
  paused!: boolean;
}

@InputType({
  description:
    'Sets the next version of the routing rule of a scope (moment, and optionally segment, region, current owner kind). Repeating the current terms creates no version.',
})
export class RoutingRuleInput {
  @Field(() => HandoffMoment, { description: 'The handoff moment it routes.' })
  moment!: HandoffMoment;

  @Field(() => String, { nullable: true, description: 'Required when moment is CUSTOM: the name of the moment.' })
  @IsOptional()
  @MaxLength(100)
  customMoment?: string | null;

  @Field(() => Segment, { nullable: true, description: 'Narrow the rule to customers of this segment.' })
  @IsOptional()
  customerSegment?: Segment | null;

  @Field(() => Region, { nullable: true, description: 'Narrow the rule to customers in this region.' })
  @IsOptional()
  customerRegion?: Region | null;

  @Field(() => RoutingOwnerKind, { nullable: true, description: 'Narrow the rule to customers held by this kind of owner (DIRECT: held by us).' })
  @IsOptional()
  currentOwnerKind?: RoutingOwnerKind | null;

  @Field(() => [RoutingStrategy], {
    description: 'The chain: any filters (TERRITORY, CAPACITY), then at most one ranking (ROUND_ROBIN, WEIGHTED, SCORECARD). Empty: the list order.',
  })
  @ArrayMaxSize(5)
  strategies!: RoutingStrategy[];

  @Field(() => [RoutingCandidateInput], { description: 'Whom it routes to, in list order: 1–500 distinct partners or teams the directory knows.' })
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  candidates!: RoutingCandidateInput[];

  @Field({
    defaultValue: false,
    description: 'Re-route a rejection with NO_CAPACITY, WRONG_REGION or WRONG_SEGMENT to the next candidate, as a new handoff linked to the rejected one.',
  })
  rerouteOnReject!: boolean;

  @Field(() => Int, { defaultValue: 10, description: 'SCORECARD: the fewest decided handoffs in the window before a candidate’s figures count (1–10,000).' })
  @IsInt()
  @Min(1)
  @Max(10000)
  minSample!: number;

  @Field(() => String, { nullable: true, description: 'What changed from the previous version, and why.' })
  @IsOptional()
  @MaxLength(5000)
  changeNote?: string | null;
}
