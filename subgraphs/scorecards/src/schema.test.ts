import 'reflect-metadata';
import { printSubgraphSchema } from '@apollo/subgraph';
import { buildScorecardsSchema } from './schema';

describe('scorecards schema', () => {
  it('declares the public names of the contract and the federated contributions', async () => {
    const sdl = printSubgraphSchema(await buildScorecardsSchema());
    expect(sdl).toContain('scorecard(filter: ScorecardFilter!): [ScorecardRow!]!');
    expect(sdl).toContain('maturity(partnerId: ID!): MaturityAssessment!');
    expect(sdl).toContain('submitFeedback(input: FeedbackInput!): Feedback!');
    expect(sdl).toMatch(/type Partner\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Handoff\s+@key\(fields: "id"\)/);
    expect(sdl).toContain('enum HandoffMoment');
  });
});
