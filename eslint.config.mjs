// @ts-check
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const root = dirname(fileURLToPath(import.meta.url));
const SUBGRAPHS = readdirSync(join(root, 'subgraphs'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/**
 * Service boundaries. Each subgraph and the gateway deploy on their own, so none may load
 * another's code; shared/ is loaded by all of them, so it may load none of them. Only the
 * top-level runner (scripts/), test/ and bench/ compose services.
 *
 * no-restricted-imports sees the import specifier as written, and the code uses relative
 * specifiers ('../../../handoffs/src/...'), so each rule is written for one directory depth:
 * from a file `depth` directories below `base`, `'../'.repeat(depth + 1)` is `base`'s parent.
 * MAX_DEPTH covers the deepest folder in the tree with room to spare. The boundary test
 * (test/lint-boundaries.test.ts) lints crossings from several depths.
 */
export const MAX_DEPTH = 8;
const SOURCE = '{ts,tsx,mts,cts,js,mjs,cjs}';
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `files` globs for a file exactly `depth` directories below `base`. */
const filesAt = (base, depth) => [`${base}/${'*/'.repeat(depth)}*.${SOURCE}`];

/**
 * A regex for a relative specifier that leaves the folder `levels` up and enters one of
 * `targets` (folder paths relative to that folder). Plain `./` prefixes are allowed.
 */
const into = (levels, targets) => `^(\\./)?(\\.\\./){${levels}}(${targets.map(escape).join('|')})(/|$)`;

/** One config block per depth for the files under `base` (a folder of the repository). */
function boundary(base, forbidden, message) {
  const baseDepth = base.split('/').length;
  return Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => {
    // From a file `depth` folders below base, the repository root is `baseDepth + depth` levels up.
    const regex = forbidden.map((target) => into(baseDepth + depth, [target]));
    // A subgraph may also be reached from `subgraphs/` (one level less): '../../handoffs/...'.
    const sibling = base.startsWith('subgraphs/')
      ? [
          into(
            depth + 1,
            SUBGRAPHS.filter((s) => `subgraphs/${s}` !== base),
          ),
        ]
      : [];
    const patterns = [...regex, ...sibling].map((r) => ({ regex: r, message }));
    // esquery's regex literal cannot contain '/', so it is written as \x2F.
    const selector = (node) => `${node} > Literal[value=/${[...regex, ...sibling].join('|').replaceAll('/', '\\x2F')}/]`;
    return {
      name: `boundaries/${base}/depth-${depth}`,
      files: filesAt(base, depth),
      rules: {
        '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
        // require() and import() are not imports to no-restricted-imports; the lazy entry points use require.
        'no-restricted-syntax': [
          'error',
          { selector: selector("CallExpression[callee.name='require']"), message },
          { selector: selector('ImportExpression'), message },
        ],
      },
    };
  });
}

const serviceBoundaries = [
  ...SUBGRAPHS.flatMap((name) =>
    boundary(
      `subgraphs/${name}`,
      [...SUBGRAPHS.filter((other) => other !== name).map((other) => `subgraphs/${other}`), 'gateway', 'scripts'],
      `A subgraph loads only its own code and shared/: another subgraph, the gateway and scripts/ deploy separately.`,
    ),
  ),
  ...boundary(
    'gateway',
    ['subgraphs', 'scripts'],
    'The gateway loads only its own code, dashboard/ and shared/: subgraphs deploy separately (only scripts/ composes).',
  ),
  ...boundary('shared', ['subgraphs', 'gateway', 'scripts', 'dashboard'], 'shared/ is loaded by every service, so it may load none of them.'),
  ...boundary('dashboard', ['subgraphs', 'scripts'], 'The dashboard is served by the gateway: it may not load a subgraph.'),
];

const nodeGlobals = Object.fromEntries(
  ['require', 'module', 'exports', '__dirname', '__filename', 'process', 'console', 'Buffer', 'URL', 'setTimeout', 'clearTimeout'].map((g) => [g, 'readonly']),
);

export default defineConfig(
  {
    name: 'ignores',
    ignores: ['**/node_modules/', '**/dist/', '.data/', 'coverage/', 'test-artifacts/', 'clients/typescript/src/generated/', 'dashboard/dist/'],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'plain JavaScript (config and build scripts)',
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: nodeGlobals },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    name: 'project rules',
    files: ['**/*.{ts,tsx}'],
    rules: {
      // Unused names are a tsc error (noUnusedLocals/noUnusedParameters); `_` marks a parameter a signature requires.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    name: 'tests and benches read JSON by path',
    // Tests and benches read response documents, event payloads and bench results by path and
    // check them with expect (or print them): 91 places type those as `any`. Production code
    // may not. Typing them (for instance from the client's generated types) is follow-up work.
    files: ['test/**/*.ts', 'subgraphs/*/test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  ...serviceBoundaries,
);
