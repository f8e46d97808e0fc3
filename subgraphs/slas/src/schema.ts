import type { GraphQLSchema } from 'graphql';
import { buildHubSubgraphSchema } from '../../../shared/graphql/build-subgraph-schema';
import { assertId, isUuid } from '../../../shared/graphql/ids';
import type { SlasContext, SlasPubSub } from './context';
import { HandoffDueRef } from './entities/handoff-due.stub';
import { HandoffRef } from './entities/handoff.stub';
import { PartnerRef } from './entities/partner.stub';
import { PlaybookRef } from './entities/playbook.stub';
import { HandoffDueSlaResolver } from './resolvers/handoff-due.resolver';
import { HandoffSlaResolver } from './resolvers/handoff.resolver';
import { PartnerSlaResolver } from './resolvers/partner.resolver';
import { PlaybookSlaResolver } from './resolvers/playbook.resolver';
import { SlaAlertResolver } from './resolvers/sla-alert.resolver';
import { SlaClockResolver } from './resolvers/sla-clock.resolver';
import { SlaDueAlertResolver } from './resolvers/sla-due-alert.resolver';
import { SlaDueClockResolver } from './resolvers/sla-due-clock.resolver';
import { SlaPolicyResolver, SlaPolicyVersionResolver } from './resolvers/sla-policy.resolver';
import { toSlaPolicy } from './services/policy-rows';

export const slasResolvers = [
  SlaPolicyResolver,
  SlaPolicyVersionResolver,
  SlaClockResolver,
  HandoffSlaResolver,
  PlaybookSlaResolver,
  PartnerSlaResolver,
  SlaAlertResolver,
  HandoffDueSlaResolver,
  SlaDueClockResolver,
  SlaDueAlertResolver,
] as const;

/**
 * Every `_entities` path goes through the per-request loaders. A Handoff slas has not heard
 * of yet (its events still on the way) resolves to a stub with no clocks, which reveals
 * nothing. Row-level security hides the handoffs a partner is not named on, so to a partner
 * those look unheard of too (a stub, not null: existence is not revealed either way); the
 * `known && !visible` null stays for a connection without RLS.
 */
export function buildSlasSchema(pubSub: SlasPubSub): Promise<GraphQLSchema> {
  return buildHubSubgraphSchema({
    resolvers: slasResolvers,
    // Entities only reached through `_entities` (the gateway asks for Playbook.slaPolicy by reference).
    orphanedTypes: [HandoffRef, HandoffDueRef, PlaybookRef, PartnerRef],
    pubSub,
    referenceResolvers: {
      Handoff: {
        __resolveReference: async (ref: { id: string }, ctx: SlasContext) => {
          if (!isUuid(ref.id)) return null;
          const found = await ctx.loaders.handoffClocks.load(assertId(ref.id, 'id'));
          return found.known && !found.visible ? null : { id: ref.id.toLowerCase() };
        },
      },
      // handoffs resolves a due the caller may not see to null; slaClock checks its own access.
      HandoffDue: { __resolveReference: (ref: { id: string }) => (isUuid(ref.id) ? { id: ref.id.toLowerCase() } : null) },
      SlaClock: {
        __resolveReference: (ref: { id: string }, ctx: SlasContext) => (isUuid(ref.id) ? ctx.loaders.clock.load(assertId(ref.id, 'id')) : null),
      },
      SlaPolicy: {
        __resolveReference: async (ref: { id: string }, ctx: SlasContext) => {
          const policy = isUuid(ref.id) ? await ctx.loaders.policy.load(assertId(ref.id, 'id')) : null;
          return policy ? toSlaPolicy(policy) : null;
        },
      },
      // The partner directory and playbooks are visible to every caller; slaAttainment checks its own access.
      Partner: { __resolveReference: (ref: { id: string }) => (isUuid(ref.id) ? { id: ref.id.toLowerCase() } : null) },
      Playbook: { __resolveReference: (ref: { id: string }) => (isUuid(ref.id) ? { id: ref.id.toLowerCase() } : null) },
    },
  });
}
