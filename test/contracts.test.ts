import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractsDir } from '../shared/paths';
import { generateContracts, type Contracts } from '../scripts/contracts';

/** The checked-in contracts are what partners code against: they must be what the code serves. */
describe('contracts/', () => {
  let generated: Contracts;
  beforeAll(async () => {
    generated = await generateContracts();
  });

  const checkedIn = (file: string) => readFileSync(join(contractsDir(), file), 'utf8');

  it('holds each subgraph’s SDL exactly as the code prints it (run `npm run compose` after a schema change)', () => {
    for (const [name, sdl] of Object.entries(generated.subgraphs)) {
      expect({ file: `${name}.graphql`, sdl: checkedIn(`${name}.graphql`) }).toEqual({ file: `${name}.graphql`, sdl });
    }
  });

  it('holds the supergraph exactly as composition produces it', () => {
    expect(checkedIn('supergraph.graphql')).toEqual(generated.supergraph);
  });

  it('holds the public API schema (no federation machinery) exactly as composition produces it', () => {
    expect(checkedIn('schema.graphql')).toEqual(generated.schema);
    expect(generated.schema).not.toMatch(/join__|link__|@inaccessible|_Entity|_Service/);
  });

  it('keeps the public API names partners code against', () => {
    for (const name of [
      'me',
      'customer',
      'customers',
      'customerByExternalId',
      'partner',
      'partners',
      'createCustomer',
      'updateCustomer',
      'createPartner',
      'customerUpdated',
    ]) {
      expect(generated.supergraph).toMatch(new RegExp(`\\b${name}[(:]`));
    }
  });
});
