import { readFileSync } from 'node:fs';
import { descriptionCoverage } from '../scripts/schema-descriptions';
import { schemaPath } from '../scripts/schema-files';

/**
 * The public schema is the documentation a partner's developer reads first (in the IDE,
 * in generated clients): every type, field, argument, input field and enum value says what
 * it is. Descriptions are written in the code (type-graphql `description` options).
 */
describe('descriptions of the public schema (contracts/schema.graphql)', () => {
  it('describes every type, field, argument, input field and enum value', () => {
    const coverage = descriptionCoverage(readFileSync(schemaPath(), 'utf8'));
    const percent = (100 * coverage.described) / coverage.total;
    if (coverage.missing.length) {
      throw new Error(
        `${percent.toFixed(1)} % described (${coverage.described} of ${coverage.total}); add a description to:\n  ${coverage.missing.join('\n  ')}`,
      );
    }
    expect(percent).toBe(100);
  });
});

describe('descriptionCoverage', () => {
  const sdl = /* GraphQL */ `
    "A date."
    scalar Date
    scalar Money
    type Query {
      "A customer."
      customer(id: ID!, "Include archived ones." archived: Boolean): Customer
      customers: [Customer!]!
    }
    "The customer record."
    type Customer implements Node {
      "Its id."
      id: ID!
      name: String
      tier: Tier
    }
    interface Node { id: ID! }
    union Result = Customer
    "The tier."
    enum Tier { "Top." GOLD SILVER }
    input Filter { "Its name." name: String, tier: Tier }
  `;

  it('counts every kind, root types and built-ins excepted, and names what is missing', () => {
    const c = descriptionCoverage(sdl);
    expect(c.byKind).toEqual({
      type: { total: 7, described: 3 },
      field: { total: 6, described: 2 },
      argument: { total: 2, described: 1 },
      inputField: { total: 2, described: 1 },
      enumValue: { total: 2, described: 1 },
    });
    expect(c.missing.sort()).toEqual(
      [
        'Money',
        'Node',
        'Node.id',
        'Result',
        'Filter',
        'Filter.tier',
        'Query.customers',
        'Query.customer(id:)',
        'Customer.name',
        'Customer.tier',
        'Tier.SILVER',
      ].sort(),
    );
    expect([c.total, c.described]).toEqual([19, 8]);
  });

  it('treats a blank description as missing', () => {
    expect(descriptionCoverage(`type Query { "  " ping: Boolean }`).missing).toEqual(['Query.ping']);
  });
});
