import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const dashboard = join(root, 'dashboard');
/** Written by esbuild in every build, before public/ is copied beside it. */
const BUILT = join(dashboard, 'dist', 'app.js');

/** The newest modification time of a file or folder tree, in ms. */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, entry) => Math.max(latest, newest(join(path, entry))), stat.mtimeMs);
}

/** Whether dashboard/dist is missing or older than any of its sources. */
export function dashboardBuildIsStale(): boolean {
  if (!existsSync(BUILT)) return true;
  const built = statSync(BUILT).mtimeMs;
  return [join(dashboard, 'src'), join(dashboard, 'public'), join(dashboard, 'build.mjs')].some((source) => newest(source) > built);
}

/**
 * Builds the dashboard, the feedback page and the journey page (dashboard/build.mjs) when the
 * build is missing or stale. Called once, from jest's global setup, before any browser test runs:
 * the build empties dashboard/dist first, so a build while a test serves those files answers
 * its pages with 404s. `npm test` has built it already (scripts/checks.mjs); a single file run
 * after an edit of the dashboard gets a fresh build.
 */
export function ensureDashboardBuilt(): void {
  // esbuild's errors go to stderr, so that a broken page fails the run with its reason.
  if (dashboardBuildIsStale()) execFileSync(process.execPath, [join(dashboard, 'build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
}
