import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { StartupError } from '../server/startup-failure';

/**
 * The postmaster of a data directory, found through its postmaster.pid (line 1: its PID,
 * line 2: its data directory), and how to stop one that nobody holds any more.
 */

/** How long an orphaned postmaster gets for a fast shutdown before an immediate one. */
const ORPHAN_STOP_MS = 30_000;

/** The postmaster recorded in `dataDir`'s postmaster.pid, while that process is still alive. */
export function runningPostmaster(dataDir: string): number | undefined {
  const dir = resolve(dataDir);
  let lines: string[];
  try {
    lines = readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || resolve(lines[1] ?? '') !== dir) return undefined;
  if (!isAlive(pid) || !isPostgres(pid)) return undefined; // stale: Postgres replaces the file itself
  return pid;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but another user's; stopping it will say so.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The PID is a postgres (not an unrelated process that reused a stale PID). */
function isPostgres(pid: number): boolean {
  let command: string;
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
  } catch {
    try {
      command = execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    } catch {
      return false;
    }
  }
  return /^(postgres|postmaster)$/.test(basename(command));
}

/**
 * A runner killed with SIGKILL (an OOM kill, a closed terminal) leaves its Postgres running
 * without a parent, holding the data directory and the port. Stop it the way Postgres is
 * meant to be stopped — a fast shutdown (SIGINT: sessions end, a checkpoint is written) —
 * and wait for it to remove its postmaster.pid; a postmaster that does not finish in time
 * gets an immediate shutdown (SIGQUIT; the next start recovers from the WAL).
 */
export async function stopOrphanedPostmaster(dataDir: string, warn: (message: string) => void): Promise<void> {
  const pid = runningPostmaster(dataDir);
  if (pid === undefined) return;
  warn(`stopping the PostgreSQL (PID ${pid}) that an earlier run left on ${dataDir}, then starting it again`);
  const pidFile = join(dataDir, 'postmaster.pid');
  const gone = () => !existsSync(pidFile) || !isAlive(pid);
  for (const [signal, waitMs] of [
    ['SIGINT', ORPHAN_STOP_MS],
    ['SIGQUIT', 10_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch (err) {
      throw new StartupError(
        `a PostgreSQL (PID ${pid}) still runs on ${dataDir} and cannot be stopped from here (${(err as NodeJS.ErrnoException).code})`,
        `stop it as its owner (kill -INT ${pid}), then start again`,
        { cause: err },
      );
    }
    const deadline = Date.now() + waitMs;
    while (!gone() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (gone()) return;
  }
  throw new StartupError(`a PostgreSQL (PID ${pid}) still runs on ${dataDir} and did not stop`, `stop it (kill -QUIT ${pid}), then start again`);
}
