import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { GENERATED_DIR } from '../../clients/typescript/codegen';

/** One generated file, in memory. */
export interface GeneratedFile {
  filename: string;
  content: string;
}

/**
 * Runs graphql-codegen's own `generate` with a configuration and keeps the output in memory.
 * The CLI and the preset's plugins depend on ESM-only packages, which jest cannot require:
 * this file is the one jest compiles with import() left as it is (jest.config.js), and the
 * preset named `client` is handed over as the module the CLI would load for that name.
 */
export async function generateInMemory(config: CodegenConfig): Promise<GeneratedFile[]> {
  const { generate } = await import('@graphql-codegen/cli');
  const { preset } = await import('@graphql-codegen/client-preset');
  const generates = Object.fromEntries(
    Object.entries(config.generates).map(([path, output]) => {
      if ((output as { preset?: unknown }).preset !== 'client') throw new Error(`${path}: only the client preset is loaded here`);
      return [path, { ...(output as object), preset }];
    }),
  );
  return (await generate({ ...config, generates }, false)) as GeneratedFile[];
}

/** Each generated file that differs from the checked-in one (or is missing, or is left over), with where and what to do. */
export function driftFromCheckedIn(files: GeneratedFile[]): string[] {
  const generated = new Map(files.map((f) => [f.filename.slice(GENERATED_DIR.length), f.content]));
  const onDisk = new Map(readdirSync(GENERATED_DIR).map((name) => [name, readFileSync(join(GENERATED_DIR, name), 'utf8')]));
  const drift: string[] = [];
  for (const name of [...new Set([...generated.keys(), ...onDisk.keys()])].sort()) {
    const want = generated.get(name);
    const have = onDisk.get(name);
    if (want === have) continue;
    if (want === undefined) drift.push(`${name}: no longer generated; delete it, then run npm run codegen`);
    else if (have === undefined) drift.push(`${name}: missing; run npm run codegen`);
    else {
      const [a, b] = [have.split('\n'), want.split('\n')];
      const line = a.findIndex((l, i) => l !== b[i]);
      const at = line === -1 ? a.length : line;
      const [x, y] = [a[at] ?? '', b[at] ?? ''];
      let col = 0;
      while (col < x.length && x[col] === y[col]) col++;
      const around = (s: string) => JSON.stringify(s.slice(Math.max(0, col - 40), col + 60));
      drift.push(`${name}: line ${at + 1}, column ${col + 1} differs (checked in: ${around(x)}, generated: ${around(y)}); run npm run codegen`);
    }
  }
  return drift;
}
