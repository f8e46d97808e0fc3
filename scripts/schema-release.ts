import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { releasedSchemaPath, schemaPath } from './schema-files';
import { breakingChanges } from './schema-compat';

const HEADER =
  '# The released public API: the baseline test/schema-compat.test.ts holds contracts/schema.graphql to.\n# Written by `npm run schema:release` only, deliberately, when a release is cut (docs/api.md, "Deprecate, then remove").\n';

/**
 * Makes the current public schema the released baseline. Prints the breaking changes it
 * accepts on the way, so whoever runs it sees what partners will have to absorb.
 */
async function release(): Promise<void> {
  const current = readFileSync(schemaPath(), 'utf8');
  let previous: string | null = null;
  try {
    previous = readFileSync(releasedSchemaPath(), 'utf8');
  } catch {
    // No baseline yet: this is the first release.
  }
  const breaking = previous === null ? [] : await breakingChanges(previous, current);
  for (const change of breaking) console.log(`accepted breaking change: ${change.path}: ${change.message}`);
  mkdirSync(dirname(releasedSchemaPath()), { recursive: true });
  writeFileSync(releasedSchemaPath(), HEADER + current.replace(/^(#.*\n)+/, ''));
  console.log(`${releasedSchemaPath()} written${breaking.length ? ` (${breaking.length} breaking changes accepted)` : ''}`);
}

release().catch((err) => {
  console.error(err);
  process.exit(1);
});
