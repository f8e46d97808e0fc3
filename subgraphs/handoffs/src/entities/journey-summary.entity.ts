import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { HandoffMoment } from './enums';
import { HandoffDue } from './handoff-due.entity';
import { PartnerRef } from './partner.stub';
import { RoutingRule } from './routing.entity';

/**
 * Counts of the journey, for dashboards: what the lists (handoffsDue, handoffs) would give
 * page by page, in one statement each (services/journey-summary.service.ts).
 */
@ObjectType({
  description:
    'Handoffs due at one moment: how many are open and overdue now, and how the dues opened in the window ended. Counts only the dues the caller may see (as handoffsDue does).',
})
export class HandoffDueSummary {
  @Field(() => HandoffMoment, { description: 'The handoff moment.' })
  moment!: HandoffMoment;

  @Field(() => String, { nullable: true, description: 'The name of a CUSTOM moment; null otherwise.' })
  customMoment!: string | null;

  @Field(() => Int, { description: 'Dues OPEN now, whenever they opened.' })
  open!: number;

  @Field(() => Int, { description: 'Of `open`, the ones past their dueAt now.' })
  overdue!: number;

  @Field(() => Int, { description: 'Dues opened in the window.' })
  opened!: number;

  @Field(() => Int, { description: 'Of `opened`, closed by a proposal.' })
  proposed!: number;

  @Field(() => Int, { description: 'Of `opened`, dismissed (no handoff needed).' })
  dismissed!: number;

  @Field(() => Int, { description: 'Of `opened`, superseded by a later stage move with nothing proposed.' })
  superseded!: number;

  @Field(() => HandoffDue, { nullable: true, description: 'The OPEN due that has waited longest (the first to act on); null when none is open.' })
  oldestOpen!: HandoffDue | null;
}

@ObjectType({ description: 'One candidate of a routing rule: how often routing chose it, against the share its weight asks for.' })
export class RoutingCandidateShare {
  @Field(() => ID, { description: 'The partner or internal team.' })
  partnerId!: string;

  @Field(() => PartnerRef, { description: 'The partner or internal team (the directory is public).' })
  partner!: PartnerRef;

  @Field(() => Int, { description: 'Its weight in the rule’s current version; 0 when it is no longer a candidate.' })
  weight!: number;

  @Field(() => Float, {
    description: 'weight over the sum of the current candidates’ weights, 0–1 (what WEIGHTED aims at; equal weights: what ROUND_ROBIN aims at).',
  })
  weightShare!: number;

  @Field(() => Int, { description: 'Routed handoffs in the window that went to it.' })
  chosen!: number;

  @Field(() => Float, { nullable: true, description: 'chosen over the rule’s routed handoffs in the window, 0–1; null when there were none.' })
  share!: number | null;
}

@ObjectType({ description: 'What a routing rule decided in a window: routed handoffs, and the share per candidate against its weight. Internal teams only.' })
export class RoutingRuleDecisions {
  @Field(() => RoutingRule, { description: 'The rule’s current version.' })
  rule!: RoutingRule;

  @Field(() => Int, { description: 'Handoffs routed by the rule (any version) and proposed in the window: proposals, re-routes, SLA reassignments.' })
  routed!: number;

  @Field(() => [RoutingCandidateShare], { description: 'The current candidates in list order, then any former candidate chosen in the window.' })
  candidates!: RoutingCandidateShare[];
}
