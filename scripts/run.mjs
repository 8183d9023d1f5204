#!/usr/bin/env node
// The README's two commands, `npm start` and `npm test`, land here. They must work on a fresh machine that
// has only Node and npm, whatever Node that is (this file runs on the system Node, which may be 20): it
// finds or fetches pnpm, installs the locked dependencies (which bring Node 24 for everything else), then
// hands over to pnpm, under which every script runs on the workspace's Node 24.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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
  const status = run('pnpm', ['install', '--frozen-lockfile']);
  if (status !== 0) process.exit(status);
}

function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(path)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    log(`the browser tests need Chromium at ${path}: install it (Debian: apt-get install -y chromium)`);
    log('or point CHROMIUM_PATH at a Chromium or Chrome binary, then run the tests again');
    process.exit(1);
  }
  log("installing Debian's chromium for the browser tests (apt-get install -y chromium)");
  if (
    run('sh', [
      '-c',
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium',
    ]) !== 0
  ) {
    process.exit(1);
  }
}

const commands = {
  // The main job: sign in. With no APS credentials configured anywhere, the CLI runs its embedded demo
  // (the local APS emulator in-process, auto-approve, a temporary home); with them, a real APS sign-in.
  start: (args) => {
    const build = run('pnpm', [
      'exec',
      'turbo',
      'run',
      'build',
      '--filter=@aps-auth/cli',
      '--output-logs=errors-only',
    ]);
    if (build !== 0) return build;
    return run('pnpm', ['exec', 'node', 'packages/cli/dist/bin.js', 'login', ...args]);
  },
  // Every test of every package, after the build, type checks and lint: `pnpm check`, through turbo's cache.
  test: (args) => {
    ensureChromium();
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
process.exit(command(args));
