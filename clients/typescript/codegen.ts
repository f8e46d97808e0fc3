import { join } from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';

/** Where the operations are read from and the typed documents written to. */
export const CLIENT_DIR = __dirname;
export const OPERATIONS = join(CLIENT_DIR, 'src/operations/*.graphql');
export const GENERATED_DIR = join(CLIENT_DIR, 'src/generated') + '/';
/** The public API schema, as `npm run compose` writes it. */
export const SCHEMA_FILE = join(CLIENT_DIR, '../../contracts/schema.graphql');

/**
 * The one codegen configuration: `npm run codegen` writes it, the drift test compares with
 * it in memory, and the introspection test runs it against a live gateway. `schema` is the
 * checked-in SDL unless a caller points it elsewhere (a URL with headers, for instance).
 */
export function codegenConfig(schema: CodegenConfig['schema'] = SCHEMA_FILE): CodegenConfig {
  return {
    schema,
    documents: OPERATIONS,
    // A document that no longer matches the schema must fail generation, not be dropped.
    ignoreNoDocuments: false,
    silent: true,
    generates: {
      [GENERATED_DIR]: {
        preset: 'client',
        presetConfig: {
          // Results are plain objects a partner reads directly; fragments only share selections.
          fragmentMasking: false,
        },
        config: {
          // Generation fails on a scalar nobody mapped instead of typing it `any`.
          strictScalars: true,
          // Decimal: an exact amount as a string (shared/graphql/money.ts), never a number.
          scalars: { DateTimeISO: 'string', JSON: 'unknown', Decimal: 'string' },
          // Enums are values too (RejectionReasonCode.MissingInformation), and still string unions.
          enumType: 'const',
          useTypeImports: true,
          skipTypename: true,
        },
      },
    },
  };
}

export default codegenConfig();
