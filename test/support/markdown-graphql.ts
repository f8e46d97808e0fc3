import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../shared/paths';

/** A fenced ```graphql block of a document, with where it stands. */
export interface GraphQLBlock {
  file: string;
  line: number;
  source: string;
  /** The API key of a first line `# as <key>`, as the README's walkthrough marks its steps. */
  apiKey?: string;
  /** The number of the bold `**N.` step the block is under, if any. */
  step?: number;
  /** The prose between the previous block and this one. */
  before: string;
}

/** README.md and every docs/*.md, relative to the repository root. */
export function documentationFiles(): string[] {
  return [
    'README.md',
    ...readdirSync(join(repoRoot(), 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
}

export function graphqlBlocks(file: string): GraphQLBlock[] {
  const text = readFileSync(join(repoRoot(), file), 'utf8');
  const blocks: GraphQLBlock[] = [];
  const fence = /^```graphql\n([\s\S]*?)^```$/gm;
  let last = 0;
  let step: number | undefined;
  for (let m = fence.exec(text); m; m = fence.exec(text)) {
    const before = text.slice(last, m.index);
    const steps = [...before.matchAll(/^\*\*(\d+)\./gm)];
    const lastStep = steps[steps.length - 1];
    if (lastStep) step = Number(lastStep[1]);
    const source = m[1] ?? '';
    blocks.push({ file, line: text.slice(0, m.index).split('\n').length, source, apiKey: /^# as (\S+)/.exec(source)?.[1], step, before });
    last = m.index + m[0].length;
  }
  return blocks;
}
