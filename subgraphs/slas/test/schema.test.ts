import { printSubgraphSchema } from '@apollo/subgraph';
import { createPubSub } from '@graphql-yoga/subscription';
import { buildSlasSchema } from '../src/schema';

describe('slas schema', () => {
  let sdl: string;
  beforeAll(async () => {
    sdl = printSubgraphSchema(await buildSlasSchema(createPubSub()));
  });

  it('keeps the public API names of the design', () => {
    for (const name of ['slaPolicies(', 'setSlaPolicy(', 'slaAlert(', 'slaDueAlert(', 'slaClocks(', 'slaAttainment(']) expect(sdl).toContain(name);
  });

  it('contributes to Handoff, HandoffDue, Playbook and Partner as id-keyed entities', () => {
    const body = (type: string) =>
      new RegExp(`type ${type}\\s+@key\\(fields: "id"\\)\\s*\\{([^}]*)\\}`)
        .exec(sdl)?.[1]!
        .replace(/"""[\s\S]*?"""/g, '')
        .replace(/\s+/g, ' ')
        .trim();
    expect(body('Handoff')).toBe('id: ID! slaClocks: [SlaClock!]!');
    expect(body('Playbook')).toBe('id: ID! slaPolicy: SlaPolicy');
    expect(body('Partner')).toMatch(/^id: ID! slaAttainment\(/);
    expect(body('HandoffDue')).toBe('id: ID! slaClock: SlaDueClock');
    expect(sdl).not.toContain('SlaTerms');
  });

  it('types whole seconds as Int, not Float', () => {
    expect(sdl).toMatch(/businessSecondsElapsed: Int!/);
    expect(sdl).toMatch(/acceptWithinSeconds: Int!/);
    expect(sdl).toMatch(/warningThresholdPercent: Int!/);
  });
});
