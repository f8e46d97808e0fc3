import { codegenConfig } from '../../clients/typescript/codegen';
import { driftFromCheckedIn, generateInMemory } from '../support/codegen';

/** The typed client partners install is generated from contracts/schema.graphql: it must be what codegen makes of it now. */
describe('clients/typescript/src/generated', () => {
  it('holds exactly what codegen generates from contracts/schema.graphql and the operations', async () => {
    const files = await generateInMemory(codegenConfig());
    expect(files.map((f) => f.filename.replace(/.*\//, '')).sort()).toEqual(['gql.ts', 'graphql.ts', 'index.ts']);
    expect(driftFromCheckedIn(files)).toEqual([]);
  });
});
