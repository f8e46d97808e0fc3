import 'reflect-metadata';
import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLObjectType } from 'graphql';
import { buildScorecardsSchema } from './schema';

describe('scorecards schema', () => {
  it('declares the public names of the contract and the federated contributions', async () => {
    const schema = await buildScorecardsSchema();
    const sdl = printSubgraphSchema(schema);
    // Signatures from the schema itself, so that descriptions in the printed SDL do not matter.
    const signature = (type: string, name: string) => {
      const f = (schema.getType(type) as GraphQLObjectType).getFields()[name]!;
      return `${name}(${f.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ')}): ${String(f.type)}`;
    };
    expect(signature('Query', 'scorecard')).toBe('scorecard(filter: ScorecardFilter!): [ScorecardRow!]!');
    expect(signature('Query', 'maturity')).toBe('maturity(partnerId: ID!): MaturityAssessment!');
    expect(signature('Mutation', 'submitFeedback')).toBe('submitFeedback(input: FeedbackInput!): Feedback!');
    expect(sdl).toMatch(/type Partner\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Handoff\s+@key\(fields: "id"\)/);
    expect(sdl).toContain('enum HandoffMoment');
  });
});
