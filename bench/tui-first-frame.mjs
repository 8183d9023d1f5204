// Start-up benchmark of aps-auth-tui, in one run (ratios measured together, not timed tests):
//   node -e 0          the baseline: Node itself, same binary, in the same pseudo-terminal wrapper, timed
//                      like the TUI, to its first output (`node -e "process.stdout.write('ready')"`): the
//                      wrapper's own exit takes far longer than Node's, so times to exit would hide the ratio
//   aps-auth-tui       process start to its first useful frame: the set-up screen ("set up profile"),
//                      with no configuration (so no network: only the configuration is read), in a real
//                      pseudo-terminal made by util-linux `script`
// Each runs RUNS times after WARMUP runs (which also fill Node's compile cache), interleaved; medians and
// their ratio are printed. Target: first frame <= 3x `node -e 0`.
//
//   pnpm --filter @aps-auth/tui build && pnpm exec node bench/tui-first-frame.mjs   (Node 24 of the workspace)
//   pnpm exec node bench/tui-first-frame.mjs [--runs 30] [--json]   (--json: one JSON object on stdout)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'packages/tui/dist/bin.js');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 30;
const WARMUP = 3;

if (!existsSync(bin)) {
  console.error(`missing ${bin}: run pnpm --filter @aps-auth/tui build`);
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'aps-auth-bench-tui-'));
const cwd = join(dir, 'cwd');
mkdirSync(cwd);
const env = {
  PATH: process.env.PATH,
  HOME: dir,
  TERM: 'xterm-256color',
  COLUMNS: '80',
  LINES: '24',
  APS_AUTH_HOME: join(dir, 'home'),
};
const quote = (value) => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * Runs `command` in a pseudo-terminal (`script -qfec`), and resolves with the milliseconds from spawn until
 * `until` appears in its output (then it is stopped), or until it exits when `until` is undefined.
 */
function timeInPty(command, until) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd,
      env,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    let out = '';
    let done = false;
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (!done && until !== undefined && out.includes(until)) {
        done = true;
        resolve(elapsed());
        child.kill('SIGKILL');
      }
    });
    child.once('error', reject);
    child.once('exit', () => {
      if (done) return;
      if (until === undefined) resolve(elapsed());
      else reject(new Error(`exited before showing ${until}:\n${out}`));
    });
  });
}

const node = quote(process.execPath);
const cases = {
  'node -e 0': () => timeInPty(`${node} -e ${quote("process.stdout.write('rea'+'dy')")}`, 'ready'),
  'aps-auth-tui, first frame': () => timeInPty(`${node} ${quote(bin)}`, 'set up profile'),
};

const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
try {
  for (let i = 0; i < WARMUP + RUNS; i++) {
    for (const [name, run] of Object.entries(cases)) {
      const ms = await run();
      if (i >= WARMUP) samples[name].push(ms);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const base = median(samples['node -e 0']);
if (process.argv.includes('--json')) {
  const firstFrameMs = median(samples['aps-auth-tui, first frame']);
  console.log(
    JSON.stringify({
      node: process.version,
      runs: RUNS,
      baselineMs: base,
      firstFrameMs,
      ratio: firstFrameMs / base,
      target: '<= 3x',
    }),
  );
  process.exit(0);
}
console.log(`aps-auth-tui start-up, Node ${process.version}, medians of ${RUNS} interleaved runs in a pty:`);
for (const [name, values] of Object.entries(samples)) {
  const m = median(values);
  console.log(`  ${name.padEnd(28)} ${m.toFixed(1).padStart(7)} ms  ${(m / base).toFixed(2)} x node -e 0`);
}
const ratio = median(samples['aps-auth-tui, first frame']) / base;
console.log(`first frame: ${ratio.toFixed(2)} x node -e 0 (target <= 3 x)`);
