import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { round, scrape, sleep } from './support';

/**
 * CPU time of everything a bench run makes busy, per process: each service's
 * `process_cpu_seconds_total` (its /metrics), the Postgres cluster's processes (from
 * /proc, the postmaster and every backend it forked, exited ones included through the
 * postmaster's reaped-children times) and the bench client itself (process.cpuUsage).
 * CPU per unit of work counts work, not waiting, so it holds on a loaded machine where
 * throughput does not.
 */

export interface CpuReading {
  at: number;
  /** CPU seconds so far by process name. */
  seconds: Record<string, number>;
}

/** Seconds of CPU per clock tick in /proc/<pid>/stat. */
const TICK = 1 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);

/** utime, stime, cutime, cstime (ticks) and the parent pid from /proc/<pid>/stat, or undefined once gone. */
function procStat(pid: number): { ppid: number; own: number; children: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may hold spaces: the fields start after its ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const n = (i: number) => Number(fields[i]);
  // Fields 4 (ppid), 14–17 (utime, stime, cutime, cstime) of proc(5), counted from field 3 here.
  return { ppid: n(1), own: n(11) + n(12), children: n(13) + n(14) };
}

/**
 * The postmaster of the cluster `databaseUrl` is on (its data directory's postmaster.pid;
 * the cluster must run on this machine), so its processes' CPU can be read from /proc.
 */
export async function postmasterOf(databaseUrl: string): Promise<number | undefined> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ dir: string }>(`SELECT current_setting('data_directory') AS dir`);
    const pid = Number(readFileSync(join(rows[0]!.dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isFinite(pid) && procStat(pid) ? pid : undefined;
  } catch {
    // Another machine's cluster (or no right to read its directory): no Postgres figure.
    return undefined;
  } finally {
    await c.end();
  }
}

/** CPU seconds of a postmaster and of every process it forked (living backends, and the reaped ones' totals). */
function clusterSeconds(postmaster: number): number {
  const self = procStat(postmaster);
  if (!self) return NaN;
  let ticks = self.own + self.children;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === postmaster) continue;
    const s = procStat(pid);
    if (s?.ppid === postmaster) ticks += s.own + s.children;
  }
  return ticks * TICK;
}

/**
 * Reads CPU of the named service processes (name → GraphQL URL), the cluster of
 * `postmaster` as `postgres` and this process as `benchClient`.
 */
export function cpuReader(services: Record<string, string>, postmaster: number | undefined) {
  return async (): Promise<CpuReading> => {
    const seconds: Record<string, number> = {};
    await Promise.all(Object.entries(services).map(async ([name, url]) => void (seconds[name] = await scrape(url, 'process_cpu_seconds_total'))));
    if (postmaster !== undefined) seconds.postgres = clusterSeconds(postmaster);
    const mine = process.cpuUsage();
    seconds.benchClient = (mine.user + mine.system) / 1e6;
    return { at: performance.now(), seconds };
  };
}

export type CpuRate = Record<string, number>;

/** CPU seconds per second of each process with nothing happening, over `seconds`. */
export async function idleCpu(read: () => Promise<CpuReading>, seconds: number): Promise<CpuRate> {
  const a = await read();
  await sleep(seconds * 1000);
  const b = await read();
  const s = (b.at - a.at) / 1000;
  return Object.fromEntries(Object.keys(b.seconds).map((k) => [k, (b.seconds[k]! - (a.seconds[k] ?? NaN)) / s]));
}

/** Milliseconds of CPU per unit of work by process, the idle background over the same time subtracted, and their total. */
export function cpuMsPerUnit(a: CpuReading, b: CpuReading, units: number, idle: CpuRate): Record<string, number> {
  const s = (b.at - a.at) / 1000;
  const out: Record<string, number> = {};
  for (const [name, after] of Object.entries(b.seconds)) out[name] = round(((after - (a.seconds[name] ?? NaN) - (idle[name] ?? 0) * s) * 1000) / units, 2);
  out.total = round(
    Object.values(out).reduce((x, y) => x + y, 0),
    2,
  );
  return out;
}
