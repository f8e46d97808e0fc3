import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ServiceName } from './config';

/** The repository root, found from this file whether it runs from source or from dist/. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'contracts'))) {
    const parent = dirname(dir);
    if (parent === dir) return resolve('.');
    dir = parent;
  }
  return dir;
}

export const contractsDir = () => join(repoRoot(), 'contracts');

/**
 * A service's own entry point in the build (`npm run build`), relative to the repository:
 * what each container and each bench process runs.
 */
export const serviceEntryPoint = (name: ServiceName) => (name === 'gateway' ? 'dist/gateway/main.js' : `dist/subgraphs/${name}/src/main.js`);
