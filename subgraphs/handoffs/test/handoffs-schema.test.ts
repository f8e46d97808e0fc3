import 'reflect-metadata';
import { createPubSub } from '@graphql-yoga/subscription';
import { printSubgraphSchema } from '@apollo/subgraph';
import { GraphQLObjectType, type GraphQLEnumType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { buildHandoffsSchema } from '../src/schema';

/** `name(arg: Type, ...): Type` with arguments sorted, so the check ignores argument order. */
const signature = (f: GraphQLField<unknown, unknown>) =>
  `${f.name}(${f.args
    .map((a) => `${a.name}: ${String(a.type)}`)
    .sort()
    .join(', ')}): ${String(f.type)}`;

const fields = (schema: GraphQLSchema, type: string) => Object.values((schema.getType(type) as GraphQLObjectType).getFields()).map(signature);

describe('handoffs schema', () => {
  let schema: GraphQLSchema;
  let sdl: string;
  beforeAll(async () => {
    schema = await buildHandoffsSchema(createPubSub());
    sdl = printSubgraphSchema(schema);
  });

  it('exposes the public API names of DESIGN.md', () => {
    expect(fields(schema, 'Query')).toEqual(
      expect.arrayContaining([
        'handoff(id: ID!): Handoff',
        'handoffs(after: String, filter: HandoffFilter, first: Int, orderBy: WorkOrder): HandoffConnection!',
        'playbooks(allVersions: Boolean, moment: HandoffMoment): [Playbook!]!',
        'routingRules(allVersions: Boolean, moment: HandoffMoment): [RoutingRule!]!',
        'routeCandidates(customMoment: String, customerId: ID!, moment: HandoffMoment!): RoutingDecision!',
        'handoffsDue(after: String, filter: HandoffDueFilter, first: Int, orderBy: WorkOrder): HandoffDueConnection!',
      ]),
    );
    expect(fields(schema, 'Mutation')).toEqual(
      expect.arrayContaining([
        'proposeHandoff(idempotencyKey: String, input: ProposeHandoffInput!): Handoff!',
        'acceptHandoff(id: ID!): Handoff!',
        'rejectHandoff(id: ID!, reason: String!, reasonCode: RejectionReasonCode): Handoff!',
        'completeHandoff(deliverables: JSON, id: ID!): Handoff!',
        'cancelHandoff(id: ID!, reason: String!): Handoff!',
        'publishPlaybook(input: PlaybookInput!): Playbook!',
        'setRoutingRule(input: RoutingRuleInput!): RoutingRule!',
        'holdHandoff(id: ID!, reason: String!): Handoff!',
        'resumeHandoff(id: ID!): Handoff!',
        'dismissHandoffDue(id: ID!, reason: String!): HandoffDue!',
      ]),
    );
    expect(fields(schema, 'Subscription')).toEqual(
      expect.arrayContaining([
        'ownershipChanged(customerId: ID, partnerId: ID): OwnershipChange!',
        'handoffUpdated(customerId: ID, partnerId: ID): Handoff!',
        'handoffDue(partnerId: ID): HandoffDue!',
      ]),
    );
    expect((schema.getType('HandoffMoment') as GraphQLEnumType).getValues().map((v) => v.name)).toEqual([
      'MQL_TO_SQL',
      'DIRECT_TO_PARTNER',
      'CLOSED_WON_TO_ONBOARDING',
      'ONBOARDING_TO_SUCCESS',
      'SUCCESS_TO_RENEWAL',
      'CUSTOM',
    ]);
  });

  it('declares Handoff and Playbook as entities and contributes to Customer and Partner', () => {
    expect(sdl).toMatch(/type Handoff\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Playbook\s+@key\(fields: "id"\)/);
    expect(fields(schema, 'Customer')).toEqual(['id(): ID!', 'owner(): Partner', 'handoffs(): [Handoff!]!', 'ownershipHistory(): [OwnershipChange!]!']);
    expect(fields(schema, 'Partner')).toEqual(['id(): ID!', 'inbox(after: String, first: Int, orderBy: WorkOrder): HandoffConnection']);
  });
});
