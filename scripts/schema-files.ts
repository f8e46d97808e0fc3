import { join } from 'node:path';
import { contractsDir } from '../shared/paths';

/** contracts/schema.graphql: the public API as composition prints it (written by `npm run compose`). */
export const schemaPath = () => join(contractsDir(), 'schema.graphql');

/** contracts/released/schema.graphql: the public API as last released (written by `npm run schema:release`). */
export const releasedSchemaPath = () => join(contractsDir(), 'released', 'schema.graphql');
