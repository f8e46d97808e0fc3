import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractsDir } from '../shared/paths';
import { generateContracts } from './contracts';

generateContracts()
  .then(({ subgraphs, supergraph, schema }) => {
    for (const [name, sdl] of Object.entries(subgraphs)) writeFileSync(join(contractsDir(), `${name}.graphql`), sdl);
    writeFileSync(join(contractsDir(), 'supergraph.graphql'), supergraph);
    writeFileSync(join(contractsDir(), 'schema.graphql'), schema);
    console.log(`contracts written: ${[...Object.keys(subgraphs), 'supergraph', 'schema'].join(', ')}`);
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
