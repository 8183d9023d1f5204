#!/usr/bin/env node
// Every root script a README names lands here (`npm start`, `npm test`, `npm run emulator`,
// `npm run aps-auth -- ARGS`, `npm run api:update`, `npm run bench`, `npm run bench:cli`, `npm run bench:size`,
// `npm run bench:tui`, `npm run release`). They must work on a fresh machine that has only Node and npm,
// whatever Node that is (this file runs on the system Node, which may be 20): it finds or fetches pnpm,
// installs the locked dependencies (which bring Node 24 for everything else), builds what the command needs,
// then runs it on the workspace's Node 24.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const log = (line) => process.stderr.write(`[aps-auth] ${line}\n`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

// Preparation writes to stderr only: stdout belongs to the command's data (`npm run -s aps-auth -- token`).
const toStderr = ['inherit', 2, 2];

/** Builds `filter` (and what it depends on) through turbo's cache, silently unless the build fails. */
function build(filter, builtFile) {
  if (!existsSync(builtFile)) log(`building ${filter} (turbo run build)`);
  const result = spawnSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', `--filter=${filter}`, '--output-logs=errors-only'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.error) throw result.error;
  if (result.status === 0) return 0;
  process.stderr.write(`${result.stdout}${result.stderr}`);
  return result.status ?? 1;
}

/** The workspace's Node 24 (the root devDependency `node`). */
function workspaceNode() {
  const bin = join(root, 'node_modules', '.bin', 'node');
  return existsSync(bin) ? [bin] : ['pnpm', 'exec', 'node'];
}

/**
 * Runs the command itself in the foreground and resolves with its exit code. Signals sent to this process
 * (npm passes SIGTERM and SIGINT on to it) go on to the command; on a terminal, Ctrl+C already reached the
 * command (the whole foreground process group gets it), so SIGINT is then not sent a second time.
 */
function runForeground(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    const interactive = process.stdin.isTTY === true;
    const forward = (signal) => {
      if (signal === 'SIGINT' && interactive) return;
      child.kill(signal);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(name, forward);
      resolve(signal === null ? (code ?? 1) : 128 + (constants.signals[signal] ?? 0));
    });
  });
}

/** Where `npm run` was typed (npm runs scripts at the root; the CLI reads `.env` from the working directory). */
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by npm and pnpm for this script, not a turbo task's input.
const userCwd = process.env.INIT_CWD ?? process.cwd();

function pnpmOnPath() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
  return probe.status === 0 && probe.stdout.trim() === pnpmVersion;
}

// turbo runs each task through `pnpm`, so pnpm must be on PATH, not only reachable through npx: without it,
// install the pinned version into .tools/ (git-ignored) and put that first on PATH for every child.
function ensurePnpm() {
  const toolsBin = join(root, '.tools', 'node_modules', '.bin');
  process.env.PATH = `${toolsBin}${delimiter}${process.env.PATH}`;
  if (pnpmOnPath()) return;
  log(`pnpm ${pnpmVersion} is not on PATH; installing it into .tools/ (npm install pnpm@${pnpmVersion})`);
  const status = run(
    'npm',
    [
      'install',
      '--prefix',
      join(root, '.tools'),
      '--no-save',
      '--no-fund',
      '--no-audit',
      `pnpm@${pnpmVersion}`,
    ],
    {
      shell: process.platform === 'win32',
      stdio: toStderr,
    },
  );
  if (status !== 0 || !pnpmOnPath()) {
    log(
      `could not install pnpm ${pnpmVersion}; install it yourself (npm install -g pnpm@${pnpmVersion}) and try again`,
    );
    process.exit(1);
  }
}

function dependenciesAreInstalled() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  if (!existsSync(marker)) return false;
  return statSync(marker).mtimeMs >= statSync(join(root, 'pnpm-lock.yaml')).mtimeMs;
}

function ensureDependencies() {
  if (dependenciesAreInstalled()) return;
  log('installing the locked dependencies (pnpm install --frozen-lockfile)');
  const status = run('pnpm', ['install', '--frozen-lockfile'], { stdio: toStderr });
  if (status !== 0) process.exit(status);
}

/**
 * What the tests need from the system, found or installed (Debian, as root) before they run: Chromium for the
 * browser tests, tmux for the TUI's tests in a real pseudo-terminal, redis-server for the web app's
 * multi-instance tests (each test starts its own server). Elsewhere it says what to install.
 */
function ensureTestTools() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const found = (command) =>
    spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
  const missing = [
    ...(existsSync(chromium)
      ? []
      : [{ pkg: 'chromium', why: `the browser tests (Chromium at ${chromium})` }]),
    ...(found('tmux') ? [] : [{ pkg: 'tmux', why: "the TUI's tests in a real pseudo-terminal" }]),
    ...(found('redis-server') ? [] : [{ pkg: 'redis-server', why: "the web app's multi-instance tests" }]),
  ];
  if (missing.length === 0) return;
  const packages = missing.map((m) => m.pkg).join(' ');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !found('apt-get')) {
    for (const m of missing) log(`${m.why} need ${m.pkg}`);
    log(
      `install them (Debian: apt-get install -y ${packages}), or point CHROMIUM_PATH at a Chromium or Chrome`,
    );
    log('binary, then run the tests again');
    process.exit(1);
  }
  log(`installing Debian's ${packages} for the tests (apt-get install -y ${packages})`);
  const install = `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages}`;
  if (run('sh', ['-c', install]) !== 0) process.exit(1);
}

const commands = {
  // The main job: sign in. On a terminal (stdin and stdout both a TTY) the interactive TUI (`aps-auth-tui
  // --demo`), otherwise the CLI's plain `aps-auth login`. With no APS credentials configured anywhere, either runs
  // its embedded demo (the local APS emulator in-process, labelled, a temporary home removed at the end); with
  // them, a real APS sign-in.
  start: async (args) => {
    if (process.stdin.isTTY !== true || process.stdout.isTTY !== true) {
      return commands['aps-auth'](['login', ...args]);
    }
    const tui = join(root, 'packages', 'tui', 'dist', 'bin.js');
    const status = build('@aps-auth/tui', tui);
    if (status !== 0) return status;
    const [node, ...nodeArgs] = workspaceNode();
    return runForeground(node, [...nodeArgs, tui, '--demo', ...args], { cwd: userCwd });
  },
  // The CLI from this clone, on the workspace's Node, in the directory where `npm run` was typed:
  // `npm run -s aps-auth -- token` (`-s`: no npm banner on stdout).
  'aps-auth': async (args) => {
    const cli = join(root, 'packages', 'cli', 'dist', 'bin.js');
    const status = build('@aps-auth/cli', cli);
    if (status !== 0) return status;
    const [node, ...nodeArgs] = workspaceNode();
    return runForeground(node, [...nodeArgs, cli, ...args], { cwd: userCwd });
  },
  // The emulator alone (its demo client unless --client is given), for the CLI or your own APS code.
  emulator: async (args) => {
    const bin = join(root, 'packages', 'emulator', 'dist', 'bin.js');
    const status = build('@aps-auth/emulator', bin);
    if (status !== 0) return status;
    const [node, ...nodeArgs] = workspaceNode();
    return runForeground(node, [...nodeArgs, bin, ...args]);
  },
  // Every benchmark, one table (scripts/bench-all.mjs): the CLI, the TUI and the web app (with core and the
  // emulator) built first.
  bench: async (args) => {
    for (const [filter, file] of [
      ['@aps-auth/cli', join(root, 'packages', 'cli', 'dist', 'bin.js')],
      ['@aps-auth/tui', join(root, 'packages', 'tui', 'dist', 'bin.js')],
      ['@aps-auth/web', join(root, 'apps', 'web', 'dist', 'node.js')],
      ['@aps-auth/emulator', join(root, 'packages', 'emulator', 'dist', 'node.js')],
    ]) {
      const status = build(filter, file);
      if (status !== 0) return status;
    }
    const [node, ...nodeArgs] = workspaceNode();
    return runForeground(node, [...nodeArgs, join(root, 'scripts', 'bench-all.mjs'), ...args]);
  },
  'bench:cli': async (args) => {
    const status = build('@aps-auth/cli', join(root, 'packages', 'cli', 'dist', 'bin.js'));
    if (status !== 0) return status;
    // The benchmark spawns the emulator's built node entry too.
    const emulator = build('@aps-auth/emulator', join(root, 'packages', 'emulator', 'dist', 'node.js'));
    if (emulator !== 0) return emulator;
    const [node, ...nodeArgs] = workspaceNode();
    return runForeground(node, [...nodeArgs, join(root, 'bench', 'cli-startup.mjs'), ...args]);
  },
  'bench:tui': async (args) => {
    const status = build('@aps-auth/tui', join(root, 'packages', 'tui', 'dist', 'bin.js'));
    if (status !== 0) return status;
    const [node, ...nodeArgs] = workspaceNode();
    return runForeground(node, [...nodeArgs, join(root, 'bench', 'tui-first-frame.mjs'), ...args]);
  },
  // The checked-in API reports (packages/*/api/) rewritten from the built surface: commit the result.
  'api:update': async (args) => {
    // Every package (turbo's cache makes the built ones free): the reports cover each published entry.
    const status = build('*', join(root, 'packages', 'core', 'dist', 'index.d.ts'));
    if (status !== 0) return status;
    const [node, ...nodeArgs] = workspaceNode();
    return runForeground(node, [...nodeArgs, join(root, 'scripts', 'api-report.mjs'), ...args]);
  },
  'bench:size': async (args) => {
    const status = build('@aps-auth/core', join(root, 'packages', 'core', 'dist', 'index.js'));
    if (status !== 0) return status;
    const [node, ...nodeArgs] = workspaceNode();
    return runForeground(node, [...nodeArgs, join(root, 'bench', 'core-size.mjs'), ...args]);
  },
  // The release (scripts/release.mjs): changeset version, build, the packaging checks, pnpm publish -r; it
  // builds what it needs itself. `npm run release -- --dry-run` publishes nothing.
  release: async (args) => {
    const [node, ...nodeArgs] = workspaceNode();
    return runForeground(node, [...nodeArgs, join(root, 'scripts', 'release.mjs'), ...args]);
  },
  // Every test of every package, after the build, type checks and lint: `pnpm check`, through turbo's cache.
  test: (args) => {
    ensureTestTools();
    // Reports from an earlier run must not be counted: turbo restores them on a cache hit, vitest rewrites them.
    for (const group of ['packages', 'apps']) {
      const dir = join(root, group);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir)) {
        rmSync(join(dir, name, '.vitest'), { recursive: true, force: true });
      }
    }
    const status = run('pnpm', ['run', 'check', ...args]);
    const summary = run('pnpm', ['exec', 'node', 'scripts/test-summary.mjs']);
    return status !== 0 ? status : summary;
  },
};

const [name, ...args] = process.argv.slice(2);
const command = commands[name];
if (!command) {
  log(`usage: node scripts/run.mjs <${Object.keys(commands).join('|')}> [args...]`);
  process.exit(2);
}
process.env.TURBO_TELEMETRY_DISABLED = '1';
process.env.DO_NOT_TRACK = '1';
ensurePnpm();
ensureDependencies();
process.exit(await command(args));
