import { readFileSync } from 'node:fs';
import { parse, print, visit } from 'graphql';
import { releasedSchemaPath, schemaPath } from '../scripts/schema-files';
import { breakingChanges } from '../scripts/schema-compat';

/** Partners code against the released schema: nothing in it may break without a deprecation first. */
describe('the public schema against the released baseline (contracts/released/schema.graphql)', () => {
  it('breaks nothing partners rely on (deprecate first; `npm run schema:release` moves the baseline deliberately)', async () => {
    const breaking = await breakingChanges(readFileSync(releasedSchemaPath(), 'utf8'), readFileSync(schemaPath(), 'utf8'));
    expect(breaking).toEqual([]);
  });

  it('notices a field removed from the real schema', async () => {
    const current = parse(readFileSync(schemaPath(), 'utf8'));
    let inCustomer = false;
    const withoutName = print(
      visit(current, {
        ObjectTypeDefinition: { enter: (node) => void (inCustomer = node.name.value === 'Customer'), leave: () => void (inCustomer = false) },
        FieldDefinition: (node) => (inCustomer && node.name.value === 'name' ? null : undefined),
      }),
    );
    expect(await breakingChanges(readFileSync(releasedSchemaPath(), 'utf8'), withoutName)).toEqual([
      { path: 'Customer.name', message: expect.stringContaining('removed') },
    ]);
  });
});

describe('breakingChanges', () => {
  const baseline = /* GraphQL */ `
    type Query {
      customers(first: Int, after: String): [Customer!]!
      customer(id: ID!): Customer
      legacy(id: ID!, mode: String @deprecated(reason: "ignored")): Customer @deprecated(reason: "Use customer.")
      oldReport: Report @deprecated(reason: "Use customers.")
    }
    type Mutation { createCustomer(input: CreateCustomerInput!): Customer! }
    type Customer {
      id: ID!
      name: String!
      segment: Segment!
      nickname: String @deprecated(reason: "Use name.")
    }
    type Report { total: Int! }
    enum Segment { SMB ENTERPRISE STARTUP @deprecated(reason: "Now SMB.") }
    input CreateCustomerInput { name: String!, segment: Segment!, source: String @deprecated(reason: "Ignored.") }
  `;
  const change = (from: string, to: string) => {
    const edited = baseline.replace(from, to);
    if (edited === baseline) throw new Error(`the baseline has no ${JSON.stringify(from)}`);
    return breakingChanges(baseline, edited);
  };
  const paths = async (p: Promise<{ path: string }[]>) => (await p).map((c) => c.path);

  it('passes an unchanged schema', async () => {
    expect(await breakingChanges(baseline, baseline)).toEqual([]);
  });

  it('fails on a removed field', async () => {
    expect(await paths(change('  name: String!\n', ''))).toEqual(['Customer.name']);
  });

  it('fails on a field whose type changed', async () => {
    expect(await paths(change('name: String!', 'name: Int!'))).toEqual(['Customer.name']);
    expect(await paths(change('name: String!', 'name: String'))).toEqual(['Customer.name']);
  });

  it('fails on a removed enum value', async () => {
    expect(await paths(change('enum Segment { SMB ENTERPRISE', 'enum Segment { SMB'))).toEqual(['Segment.ENTERPRISE']);
  });

  it('fails on a new required argument, and on a removed or retyped argument', async () => {
    expect(await paths(change('customers(first: Int, after: String)', 'customers(first: Int, after: String, region: String!)'))).toEqual([
      'Query.customers.region',
    ]);
    expect(await paths(change('customers(first: Int, after: String)', 'customers(first: Int)'))).toEqual(['Query.customers.after']);
    expect(await paths(change('customers(first: Int, after: String)', 'customers(first: String, after: String)'))).toEqual(['Query.customers.first']);
  });

  it('fails on a new required input field and on a removed input field', async () => {
    expect(await paths(change('input CreateCustomerInput { name: String!,', 'input CreateCustomerInput { name: String!, region: String!,'))).toEqual([
      'CreateCustomerInput.region',
    ]);
    expect(await paths(change('input CreateCustomerInput { name: String!, segment: Segment!,', 'input CreateCustomerInput { name: String!,'))).toEqual([
      'CreateCustomerInput.segment',
    ]);
  });

  it('passes removing what the baseline had deprecated: a field, an argument, an input field, an enum value', async () => {
    expect(await change('  nickname: String @deprecated(reason: "Use name.")\n', '')).toEqual([]);
    expect(await change('legacy(id: ID!, mode: String @deprecated(reason: "ignored"))', 'legacy(id: ID!)')).toEqual([]);
    expect(await change(', source: String @deprecated(reason: "Ignored.")', '')).toEqual([]);
    expect(await change(' STARTUP @deprecated(reason: "Now SMB.")', '')).toEqual([]);
  });

  it('passes removing a deprecated field together with the type only it referred to', async () => {
    const edited = baseline.replace('oldReport: Report @deprecated(reason: "Use customers.")', '').replace('type Report { total: Int! }', '');
    expect(await breakingChanges(baseline, edited)).toEqual([]);
  });

  it('fails on removing a type something not deprecated still referred to', async () => {
    const withoutSegment = baseline.replace(/segment: Segment!/g, 'segment: String!').replace(/enum Segment \{[^}]*\}/, '');
    expect(await paths(breakingChanges(baseline, withoutSegment))).toEqual(
      expect.arrayContaining(['Segment', 'Customer.segment', 'CreateCustomerInput.segment']),
    );
  });

  it('passes additions and dangerous changes: a new field, an optional argument, an enum value, descriptions, a deprecation', async () => {
    const grown = baseline
      .replace('id: ID!\n      name: String!', 'id: ID!\n      "What the customer is called."\n      name: String!\n      region: String')
      .replace('customers(first: Int, after: String)', 'customers(first: Int, after: String, region: String)')
      .replace('enum Segment { SMB', 'enum Segment { MICRO SMB')
      .replace('customer(id: ID!): Customer', 'customer(id: ID!): Customer @deprecated(reason: "Use customers.")');
    expect(grown).not.toEqual(baseline);
    expect(await breakingChanges(baseline, grown)).toEqual([]);
  });
});
