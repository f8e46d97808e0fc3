import 'reflect-metadata';
import { IsOptional, MaxLength } from 'class-validator';
import { execute, parse, type ExecutionResult } from 'graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Field, InputType, Mutation, Query, Resolver } from 'type-graphql';
import { buildHubSubgraphSchema } from '../../shared/graphql/build-subgraph-schema';
import { JSONScalar } from '../../shared/graphql/json';
import { firstError } from '../support/graphql-client';

@InputType()
class NoteInput {
  @Field()
  @MaxLength(10)
  title!: string;

  @Field(() => JSONScalar, { nullable: true })
  @IsOptional()
  data?: unknown;
}

/** Echoes what the resolver received, and whether every object in it is a plain one. */
const describe_ = (value: unknown) => ({ value, plain: allPlain(value) });
function allPlain(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(allPlain);
  if (value === null || typeof value !== 'object') return true;
  return Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(allPlain);
}

@Resolver()
class EchoResolver {
  @Query(() => String)
  ping(): string {
    return 'pong';
  }

  @Mutation(() => JSONScalar)
  echo(@Arg('value', () => JSONScalar, { nullable: true }) value?: unknown): unknown {
    return describe_(value);
  }

  @Mutation(() => JSONScalar)
  note(@Arg('input', () => NoteInput) input: NoteInput): unknown {
    return describe_(input.data);
  }
}

describe('the JSON scalar', () => {
  const VALUE = { kickoffDate: '2027-01-20', owners: [{ name: 'Ana', primary: true }], count: 3, nested: { deep: { ok: null } } };

  const run = async (query: string, variableValues?: Record<string, unknown>) => {
    const schema = await buildHubSubgraphSchema({ resolvers: [EchoResolver] });
    return (await execute({ schema, document: parse(query), variableValues })) as ExecutionResult<Record<string, any>>;
  };

  it('gives a resolver the same plain objects for a value written inline as for the same value in variables', async () => {
    const inline = await run(
      `mutation { echo(value: { kickoffDate: "2027-01-20", owners: [{ name: "Ana", primary: true }], count: 3, nested: { deep: { ok: null } } }) }`,
    );
    const variables = await run('mutation($v: JSON) { echo(value: $v) }', { v: VALUE });
    expect(inline.errors).toBeUndefined();
    expect(inline).toEqual(variables);
    expect(inline.data!.echo).toEqual({ value: VALUE, plain: true });
  });

  it('does the same for a JSON field of an input, beside validated fields', async () => {
    const inline = await run('mutation { note(input: { title: "Kickoff", data: { kickoffDate: "2027-01-20" } }) }');
    const variables = await run('mutation($i: NoteInput!) { note(input: $i) }', { i: { title: 'Kickoff', data: { kickoffDate: '2027-01-20' } } });
    expect(inline.errors).toBeUndefined();
    expect(inline).toEqual(variables);
    expect(inline.data!.note).toEqual({ value: { kickoffDate: '2027-01-20' }, plain: true });
    // class-validator still reports the input's own rules, whichever way the value came.
    const tooLong = await run('mutation { note(input: { title: "Far too long a title", data: { a: 1 } }) }');
    expect(firstError(tooLong)!.extensions!.validationErrors).toEqual([expect.objectContaining({ property: 'title' })]);
  });

  it('keeps a `__proto__` key as data, as JSON.parse does', async () => {
    const inline = await run('mutation { echo(value: { __proto__: { polluted: true } }) }');
    expect(inline.errors).toBeUndefined();
    expect(inline.data!.echo).toEqual({ value: JSON.parse('{"__proto__": {"polluted": true}}'), plain: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('is the only JSON scalar a subgraph may build with', async () => {
    @Resolver()
    class OtherJsonResolver {
      @Query(() => GraphQLJSON)
      raw(): unknown {
        return {};
      }
    }
    await expect(buildHubSubgraphSchema({ resolvers: [OtherJsonResolver] })).rejects.toThrow(/JSONScalar from shared\/graphql\/json\.ts/);
  });
});
