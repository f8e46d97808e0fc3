import { registerEnumType, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { HandoffMoment, Region, Segment } from '../../../../shared/graphql/enums';

/**
 * Routing (docs/routing.md): which partner or team a proposal without `toPartnerId` goes to.
 * Rules are versioned per scope; `route()` (services/routing) applies the filters, then the
 * ranking, and says why each candidate stands where it does.
 */

/** The steps a rule chains: filters first (TERRITORY, CAPACITY), then at most one ranking. */
export enum RoutingStrategy {
  TERRITORY = 'TERRITORY',
  CAPACITY = 'CAPACITY',
  ROUND_ROBIN = 'ROUND_ROBIN',
  WEIGHTED = 'WEIGHTED',
  SCORECARD = 'SCORECARD',
}

export const FILTER_STRATEGIES: readonly RoutingStrategy[] = [RoutingStrategy.TERRITORY, RoutingStrategy.CAPACITY];
export const RANKING_STRATEGIES: readonly RoutingStrategy[] = [RoutingStrategy.ROUND_ROBIN, RoutingStrategy.WEIGHTED, RoutingStrategy.SCORECARD];

/** Who holds the customer when it is routed: a rule may be narrowed to one kind of owner. */
export enum RoutingOwnerKind {
  DIRECT = 'DIRECT',
  RESELLER = 'RESELLER',
  AGENCY = 'AGENCY',
  SERVICE_PROVIDER = 'SERVICE_PROVIDER',
  INTERNAL_TEAM = 'INTERNAL_TEAM',
}

/** Where a candidate ended up. */
export enum RouteOutcome {
  CHOSEN = 'CHOSEN',
  KEPT = 'KEPT',
  SKIPPED = 'SKIPPED',
}

/** Why a candidate was kept, skipped or ranked where it is. */
export enum RoutingReasonCode {
  UNKNOWN_PARTNER = 'UNKNOWN_PARTNER',
  INACTIVE = 'INACTIVE',
  CURRENT_OWNER = 'CURRENT_OWNER',
  EXCLUDED = 'EXCLUDED',
  IN_TERRITORY = 'IN_TERRITORY',
  WRONG_REGION = 'WRONG_REGION',
  WRONG_SEGMENT = 'WRONG_SEGMENT',
  HAS_CAPACITY = 'HAS_CAPACITY',
  AT_CAPACITY = 'AT_CAPACITY',
  PAUSED = 'PAUSED',
  UNAVAILABLE = 'UNAVAILABLE',
  LIST_ORDER = 'LIST_ORDER',
  ROTATION = 'ROTATION',
  WEIGHTED_DRAW = 'WEIGHTED_DRAW',
  SCORECARD = 'SCORECARD',
  BELOW_MINIMUM_SAMPLE = 'BELOW_MINIMUM_SAMPLE',
  RANKED = 'RANKED',
}

registerEnumType(RoutingStrategy, {
  name: 'RoutingStrategy',
  description:
    'One step of a routing rule. Filters (TERRITORY, CAPACITY) run first, in any order; then at most one ranking (ROUND_ROBIN, WEIGHTED, SCORECARD). Without a ranking the candidates keep the rule’s list order, so TERRITORY alone picks the first candidate whose regions and segments match.',
  valuesConfig: {
    TERRITORY: {
      description: 'Filter: keeps candidates whose regions (default: the partner’s own region) and segments (default: any) include the customer’s.',
    },
    CAPACITY: { description: 'Filter: skips candidates that are paused in the rule or already hold maxOpen open (PROPOSED or ACCEPTED) handoffs.' },
    ROUND_ROBIN: {
      description:
        'Ranking: takes turns over the candidates in list order; a skipped candidate loses its turn, the others stay even. The position is durable and shared by every hub instance.',
    },
    WEIGHTED: { description: 'Ranking: a draw in proportion to each candidate’s weight, stable per customer (weighted rendezvous hashing).' },
    SCORECARD: {
      description:
        'Ranking: by each candidate’s own figures for the customer’s segment and the moment over the last 90 days (docs/routing.md gives the formula); candidates below the rule’s minSample come after the scored ones.',
    },
  },
});
registerEnumType(RoutingOwnerKind, {
  name: 'RoutingOwnerKind',
  description: 'Who holds the customer when it is routed.',
  valuesConfig: {
    DIRECT: { description: 'Nobody: we hold it directly.' },
    RESELLER: { description: 'A reseller owns it.' },
    AGENCY: { description: 'An agency owns it.' },
    SERVICE_PROVIDER: { description: 'A service provider owns it.' },
    INTERNAL_TEAM: { description: 'One of our internal teams owns it.' },
  },
});
registerEnumType(RouteOutcome, {
  name: 'RouteOutcome',
  description: 'Where a candidate ended up in a routing decision.',
  valuesConfig: {
    CHOSEN: { description: 'Ranked first: the proposal goes to it.' },
    KEPT: { description: 'Passed every filter; ranked after the chosen one.' },
    SKIPPED: { description: 'Left out by a check or a filter (see its reasons).' },
  },
});
registerEnumType(RoutingReasonCode, {
  name: 'RoutingReasonCode',
  description:
    'Why a routing candidate was kept, skipped or ranked where it is. A partner sees other partners’ reasons without their private figures: AT_CAPACITY and PAUSED read UNAVAILABLE, SCORECARD and BELOW_MINIMUM_SAMPLE read RANKED.',
  valuesConfig: {
    UNKNOWN_PARTNER: { description: 'Skipped: no such partner in the directory.' },
    INACTIVE: { description: 'Skipped: the partner is suspended and cannot receive customers.' },
    CURRENT_OWNER: { description: 'Skipped: it already owns the customer.' },
    EXCLUDED: { description: 'Skipped: excluded for this routing (it rejected the customer, or an SLA escalation took the customer from it).' },
    IN_TERRITORY: { description: 'Kept by TERRITORY: it serves the customer’s region and segment.' },
    WRONG_REGION: { description: 'Skipped by TERRITORY: it does not serve the customer’s region.' },
    WRONG_SEGMENT: { description: 'Skipped by TERRITORY: it does not serve the customer’s segment.' },
    HAS_CAPACITY: { description: 'Kept by CAPACITY: below its maxOpen.' },
    AT_CAPACITY: { description: 'Skipped by CAPACITY: it holds maxOpen open handoffs.' },
    PAUSED: { description: 'Skipped by CAPACITY: paused in the rule.' },
    UNAVAILABLE: { description: 'Skipped by CAPACITY (what another partner sees instead of AT_CAPACITY or PAUSED).' },
    LIST_ORDER: { description: 'Ranked by its position in the rule’s list (no ranking strategy).' },
    ROTATION: { description: 'Ranked by ROUND_ROBIN: its place in the rotation.' },
    WEIGHTED_DRAW: { description: 'Ranked by WEIGHTED: its place in the weighted draw.' },
    SCORECARD: { description: 'Ranked by SCORECARD: its score over the window.' },
    BELOW_MINIMUM_SAMPLE: { description: 'Ranked after the scored candidates: fewer decided handoffs in the window than the rule’s minSample.' },
    RANKED: { description: 'Ranked (what another partner sees instead of SCORECARD or BELOW_MINIMUM_SAMPLE).' },
  },
});

@ObjectType({ description: 'A partner or team a routing rule may route to, and what it takes on.' })
export class RoutingCandidate {
  @Field(() => ID, { description: 'The partner or internal team; BAD_USER_INPUT when the directory does not know it.' })
  partnerId!: string;

  @Field(() => Int, { description: 'Its share under WEIGHTED, 1–1,000 (ignored by the other strategies).' })
  weight!: number;

  @Field(() => [Region], { description: 'The regions it serves under TERRITORY; empty: the partner’s own region.' })
  regions!: Region[];

  @Field(() => [Segment], { description: 'The segments it serves under TERRITORY; empty: every segment.' })
  segments!: Segment[];

  @Field(() => Int, {
    nullable: true,
    description: 'Under CAPACITY: the most open (PROPOSED or ACCEPTED) handoffs it holds before it is skipped; null: no limit.',
  })
  maxOpen!: number | null;

  @Field({ description: 'Under CAPACITY: skipped while true (holidays, a full bench); ROUND_ROBIN turns pass it by without shifting the others.' })
  paused!: boolean;
}

@ObjectType({
  description:
    'One version of a routing rule: for a moment (optionally narrowed by segment, region and current owner kind), the candidates and the strategy chain that picks among them. Internal teams only.',
})
export class RoutingRule {
  @Field(() => ID, { description: 'Identifies the rule’s scope; every version of the scope shares it.' })
  id!: string;

  @Field(() => Int, { description: '1 for the scope’s first version, then one more per setRoutingRule that changes it.' })
  version!: number;

  @Field(() => HandoffMoment, { description: 'The handoff moment it routes.' })
  moment!: HandoffMoment;

  @Field(() => String, { nullable: true, description: 'The name of a CUSTOM moment.' })
  customMoment!: string | null;

  @Field(() => Segment, { nullable: true, description: 'Only customers of this segment; null: any.' })
  customerSegment!: Segment | null;

  @Field(() => Region, { nullable: true, description: 'Only customers in this region; null: any.' })
  customerRegion!: Region | null;

  @Field(() => RoutingOwnerKind, { nullable: true, description: 'Only customers held by this kind of owner (DIRECT: held by us); null: any.' })
  currentOwnerKind!: RoutingOwnerKind | null;

  @Field(() => [RoutingStrategy], { description: 'The chain: filters, then at most one ranking.' })
  strategies!: RoutingStrategy[];

  @Field(() => [RoutingCandidate], { description: 'Whom it routes to, in list order.' })
  candidates!: RoutingCandidate[];

  @Field({
    description:
      'A rejection with NO_CAPACITY, WRONG_REGION or WRONG_SEGMENT proposes the customer to the next candidate, as a new handoff linked to the rejected one.',
  })
  rerouteOnReject!: boolean;

  @Field(() => Int, { description: 'SCORECARD: the fewest decided handoffs in the window before a candidate’s figures count.' })
  minSample!: number;

  @Field(() => String, { nullable: true, description: 'What changed from the previous version, and why.' })
  changeNote!: string | null;

  @Field({ description: 'When this version was set (UTC).' })
  createdAt!: Date;

  @Field(() => ID, { nullable: true, description: 'The internal team that set it.' })
  createdByPartnerId!: string | null;
}

@ObjectType({ description: 'One reason a candidate was kept, skipped or ranked where it is, e.g. "skipped: at capacity 12/12".' })
export class RoutingReason {
  @Field(() => RoutingReasonCode, { description: 'The reason, as a code to act on.' })
  code!: RoutingReasonCode;

  @Field({ description: 'The reason in words; about another partner, a partner reads ranks and public facts only.' })
  message!: string;
}

@ObjectType({ description: 'A candidate of a routing decision, ranked, with its reasons.' })
export class RouteCandidate {
  @Field(() => ID, { description: 'The partner or internal team.' })
  partnerId!: string;

  @Field(() => RouteOutcome, { description: 'CHOSEN, KEPT or SKIPPED.' })
  outcome!: RouteOutcome;

  @Field(() => Int, { nullable: true, description: '1 for the chosen candidate, then 2, 3, … over the kept ones; null when skipped.' })
  rank!: number | null;

  @Field(() => Float, { nullable: true, description: 'Its SCORECARD score from 0 to 1; null when not scored, and for another partner than the caller.' })
  score!: number | null;

  @Field(() => [RoutingReason], { description: 'Why it was kept, skipped or ranked where it is, in the order the chain decided.' })
  reasons!: RoutingReason[];
}

@ObjectType({
  description:
    'Whom routing would pick for a customer and moment right now, and why. Routing again may pick another candidate (ROUND_ROBIN turns, open handoffs, new figures).',
})
export class RoutingDecision {
  @Field(() => ID, { description: 'The customer routed.' })
  customerId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The rule that applied; null when none does (proposeHandoff without toPartnerId is then BAD_USER_INPUT with extensions.reason NO_ROUTE).',
  })
  ruleId!: string | null;

  @Field(() => Int, { nullable: true, description: 'Its version.' })
  ruleVersion!: number | null;

  @Field(() => [RoutingStrategy], { description: 'The rule’s chain; empty without a rule.' })
  strategies!: RoutingStrategy[];

  @Field(() => ID, { nullable: true, description: 'The candidate a proposal now would go to; null when every candidate was skipped.' })
  chosenPartnerId!: string | null;

  @Field(() => [RouteCandidate], { description: 'Kept candidates by rank, then the skipped ones in the rule’s list order.' })
  candidates!: RouteCandidate[];
}

@ObjectType({ description: 'How a routed handoff found its receiver.' })
export class HandoffRouting {
  @Field(() => ID, { description: 'The routing rule that chose the receiver.' })
  ruleId!: string;

  @Field(() => Int, { description: 'The version of the rule.' })
  ruleVersion!: number;

  @Field(() => [RoutingStrategy], { description: 'The chain that applied.' })
  strategies!: RoutingStrategy[];

  @Field(() => [RoutingReason], { description: 'Why the receiver was chosen. The receiver and internal teams read its figures; the sender reads its rank.' })
  reasons!: RoutingReason[];
}
