// What `npm test` runs before jest: the type-check, the lint (ESLint, then prettier --check) and the
// dashboard's build that the browser tests load. Each is one single-threaded process, so on two cores
// the type-check (then the build) runs beside the lint rather than before it; every check still runs,
// and the run fails when any of them fails. Each one's output is printed whole when it ends, so two
// never interleave.
import { spawn } from 'node:child_process';

/** Lanes run side by side; the commands of one lane one after another. */
const LANES = [['npm run typecheck', 'npm run build:dashboard'], ['npm run lint']];

function run(command) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('close', (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const status = code === 0 ? 'ok' : `failed (${signal ?? `exit ${code}`})`;
      process.stdout.write(`\n---- ${command}: ${status}, ${seconds} s ----\n${Buffer.concat(output).toString()}`);
      resolve(code === 0);
    });
  });
}

async function lane(commands) {
  for (const command of commands) if (!(await run(command))) return false;
  return true;
}

const results = await Promise.all(LANES.map(lane));
if (results.includes(false)) process.exit(1);
