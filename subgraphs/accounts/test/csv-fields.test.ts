import { GraphQLError } from 'graphql';
import { resolveMapping, rowFromRecord } from '../src/csv/customer-csv-fields';
import { detectDelimiter } from '../src/csv/customer-import';

describe('CSV columns to upsertCustomers fields', () => {
  it('maps headers by name without regard to case, spaces, _ or -, and lists the columns it ignores', () => {
    const { mapping, ignored } = resolveMapping(['External ID', 'NAME', 'lifecycle_stage', 'Stage notes', 'Contact email'], undefined);
    expect([...mapping.entries()]).toEqual([
      [0, 'externalId'],
      [1, 'name'],
      [2, 'lifecycleStage'],
      [4, 'contact.email'],
    ]);
    expect(ignored).toEqual(['Stage notes']);
  });

  it('takes an explicit mapping first, and "" ignores a column that would map by name', () => {
    const { mapping } = resolveMapping(['Kunden-ID', 'Firma', 'name'], { 'kunden-id': 'externalId', Firma: 'name', name: '' });
    expect([...mapping.entries()]).toEqual([
      [0, 'externalId'],
      [1, 'name'],
    ]);
  });

  it('refuses a mapping it cannot follow, naming what is wrong', () => {
    const message = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(GraphQLError);
        expect((err as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
        return (err as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(message(() => resolveMapping(['externalId'], { Missing: 'name' }))).toMatch(/names column "Missing", which the header does not have/);
    expect(message(() => resolveMapping(['externalId', 'x'], { x: 'colour' }))).toMatch(/"colour", which is not a field/);
    expect(message(() => resolveMapping(['externalId', 'name', 'Company'], { Company: 'name' }))).toMatch(
      /Columns "(Company|name)" and "(Company|name)" both fill name; map one of them elsewhere/,
    );
    expect(message(() => resolveMapping(['name'], undefined))).toMatch(/No column fills externalId/);
  });

  it('turns cells into a row: enums in any case, lists split on |, figures kept as written, empty cells left out', () => {
    const header = [
      'externalId',
      'segment',
      'lifecycleStage',
      'context.goals',
      'commercials.currency',
      'commercials.arr',
      'commercials.contractTermMonths',
      'name',
    ];
    const { mapping } = resolveMapping(header, undefined);
    const made = rowFromRecord(['A-1', 'mid market', 'Closed-won', 'Grow | Retain |', 'eur', '1250.50', '12', ''], mapping);
    expect(made.problems).toEqual([]);
    expect(made.input).toMatchObject({
      externalId: 'A-1',
      segment: 'MID_MARKET',
      lifecycleStage: 'CLOSED_WON',
      context: { goals: ['Grow', 'Retain'], painPoints: [] },
      commercials: { currency: 'EUR', arr: '1250.50', contractTermMonths: 12 },
    });
    expect(made.input?.name).toBeUndefined();
  });

  it('reports every cell that cannot become its field', () => {
    const { mapping } = resolveMapping(['externalId', 'region', 'expectedVersion', 'contact.email', 'commercials.arr'], undefined);
    const made = rowFromRecord(['A-2', 'Mars', 'two', 'ann@example.com', '10'], mapping);
    expect(made.input).toBeNull();
    expect(made.problems).toEqual([
      'region: unknown value "Mars" (one of NA, LATAM, EMEA, APAC)',
      'expectedVersion: "two" is not a whole number',
      'contact.name: required when other contact.* columns are filled',
      'commercials.currency: required when other commercials.* columns are filled',
    ]);
  });

  it('detects the delimiter from the header line, outside quotes', () => {
    expect(detectDelimiter('a,b,c\n1;2;3;4;5')).toBe(',');
    expect(detectDelimiter('\uFEFFa;b;"c,d,e"\n')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('single')).toBe(',');
  });
});
