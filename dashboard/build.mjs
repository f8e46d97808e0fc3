// Bundles the dashboard, the customer feedback page and the customer journey page into dashboard/dist (run by `npm run build`).
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'dist');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: join(here, 'src/main.tsx'), feedback: join(here, 'src/feedback.ts'), 'customer-journey': join(here, 'src/customer-journey.ts') },
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  target: ['es2020'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: out,
  logLevel: 'warning',
});
cpSync(join(here, 'public'), out, { recursive: true });
console.log('dashboard built: dashboard/dist');
