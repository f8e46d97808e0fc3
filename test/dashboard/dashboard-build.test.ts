import { statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardBuildIsStale } from '../support/dashboard-build';

/** jest's global setup builds dashboard/dist when it is missing or older than its sources (test/support/dashboard-build.ts). */
describe('the browser tests’ dashboard build', () => {
  const built = join(__dirname, '..', '..', 'dashboard', 'dist', 'app.js');
  const source = join(__dirname, '..', '..', 'dashboard', 'src', 'customer-journey.ts');

  it('is fresh after the global setup, and stale once a source is newer than the build', () => {
    expect(dashboardBuildIsStale()).toBe(false);
    const { atime, mtime } = statSync(built);
    const sourceTime = statSync(source).mtime;
    try {
      utimesSync(built, atime, new Date(sourceTime.getTime() - 60_000));
      expect(dashboardBuildIsStale()).toBe(true);
    } finally {
      utimesSync(built, atime, mtime);
    }
    expect(dashboardBuildIsStale()).toBe(false);
  });
});
