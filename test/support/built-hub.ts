import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../shared/paths';

/**
 * Tests that run the build (dist/) as real processes, the way `npm start` and the
 * deployments run it: build when stale, spawn, wait until ready, stop.
 */

const root = repoRoot();
/** What tsconfig.build.json compiles. */
const BUILD_SOURCES = ['gateway', 'subgraphs', 'shared', 'scripts', 'bench'];

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') yield* sources(path);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** Some compiled source is newer than its output in dist/ (or has none). */
function buildIsStale(): boolean {
  for (const dir of BUILD_SOURCES) {
    for (const source of sources(dir)) {
      const output = join(root, 'dist', source.replace(/\.ts$/, '.js'));
      if (!existsSync(output) || statSync(output).mtimeMs < statSync(join(root, source)).mtimeMs) return true;
    }
  }
  return false;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Runs tsc (tsconfig.build.json; the dashboard bundle is not needed) when dist/ is stale.
 * Test files run in parallel workers: one builds while the others wait for it, so that no
 * process starts from files half rewritten.
 */
export async function ensureBuilt(): Promise<void> {
  const lock = join(tmpdir(), `hub-build-${createHash('sha256').update(root).digest('hex').slice(0, 12)}.lock`);
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lock, 'utf8'));
      // A holder that died (a killed test run) leaves its lock behind. An empty file is one
      // being written: wait for it.
      if (holder > 0 && !isAlive(holder)) rmSync(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (!buildIsStale()) return;
    await promisify(execFile)(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root }).catch(
      (err: { stdout?: string; message: string }) => {
        throw new Error(`build failed: ${err.stdout || err.message}`);
      },
    );
  } finally {
    rmSync(lock, { force: true });
  }
}

/** A process of the build, with its output kept for assertions and failure messages. */
export interface BuiltProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `node <script>` (relative to the repository) with only PATH and `env` set. */
export function spawnBuilt(script: string, env: Record<string, string>): BuiltProcess {
  let out = '';
  const child = spawn(process.execPath, [join(root, script)], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

/** Waits until `url` answers 200; fails at once with the output when the process exits first. */
export async function waitUntilReady(url: string, proc: BuiltProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      throw new Error(`exited (${proc.child.exitCode ?? proc.child.signalCode}) before ${url} was ready:\n${proc.output()}`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms:\n${proc.output()}`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
export async function stopBuilt(proc: BuiltProcess, graceMs = 15_000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}
