#!/usr/bin/env node
// The release, in one command, from a clean tree of the workspace (run it at the workspace root; `npm run
// release` does, through scripts/run.mjs):
//   1. `changeset version` (unless --skip-version): the pending changesets become versions and changelogs;
//      the result is committed ("Version packages"), so what is published is what is committed;
//   2. `turbo run build` of every package;
//   3. the packaging checks (`turbo run test --filter=@aps-auth/packaging-check`: publint, attw, the
//      tarballs installed outside the workspace, core's size budget, the changeset dry run);
//   4. `pnpm publish -r --access public`: every non-private package, in dependency order (pnpm sorts a
//      recursive publish topologically), each version once (pnpm skips versions already on the registry).
// --dry-run passes --dry-run to pnpm publish (nothing is uploaded) and puts the tree back as it was after the
// version step (nothing is committed). A tree with uncommitted changes is refused before anything runs.
//
//   npm run release -- --dry-run        npm run release -- --skip-version        npm run release
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const USAGE = 'usage: npm run release -- [--dry-run] [--skip-version]';
const log = (line) => process.stderr.write(`[release] ${line}\n`);

/** The options of the command line; unknown flags are refused. */
export function parseReleaseArgs(argv) {
  const options = { dryRun: false, skipVersion: false };
  for (const arg of argv) {
    if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--skip-version') options.skipVersion = true;
    else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  return options;
}

function run(command, args, cwd) {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
}

function git(args, cwd) {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

/** The uncommitted changes of the tree (`git status --porcelain`), one per line; empty when clean. */
function uncommittedChanges(cwd) {
  return git(['status', '--porcelain', '--untracked-files=all'], cwd)
    .split('\n')
    .filter((line) => line !== '');
}

/** Puts the tree back to its last commit (the version step's changes; the tree was clean before it). */
function restoreTree(cwd) {
  git(['checkout', '--', '.'], cwd);
  git(['clean', '-fd', '--', '.'], cwd);
}

export function release(options, cwd = process.cwd()) {
  if (!existsSync(join(cwd, 'pnpm-workspace.yaml'))) {
    throw new Error(`${cwd} is not the workspace root (no pnpm-workspace.yaml): run npm run release`);
  }
  const dirty = uncommittedChanges(cwd);
  if (dirty.length > 0) {
    throw new Error(
      `refusing to release from a tree with uncommitted changes:\n${dirty.slice(0, 20).join('\n')}\n` +
        'commit or stash them, then run the release again',
    );
  }
  let versioned = false;
  try {
    if (!options.skipVersion) {
      run('pnpm', ['exec', 'changeset', 'version'], cwd);
      versioned = uncommittedChanges(cwd).length > 0;
      if (!versioned) log('no pending changesets: nothing was versioned');
      else if (!options.dryRun) {
        git(['add', '-A'], cwd);
        git(['commit', '-q', '-m', 'Version packages'], cwd);
        log('committed the new versions and changelogs ("Version packages")');
      }
    }
    run('pnpm', ['exec', 'turbo', 'run', 'build'], cwd);
    run('pnpm', ['exec', 'turbo', 'run', 'test', '--filter=@aps-auth/packaging-check'], cwd);
    const publish = ['publish', '-r', '--access', 'public'];
    // A dry run's versions are not committed, and it may run from any branch: pnpm's git checks (a clean
    // tree on main) would refuse it. A real publish keeps them.
    if (options.dryRun) publish.push('--dry-run', '--no-git-checks');
    run('pnpm', publish, cwd);
  } finally {
    if (options.dryRun && versioned) {
      restoreTree(cwd);
      log('dry run: the version changes were undone');
    }
  }
  log(options.dryRun ? 'dry run done: nothing was published' : 'published');
}

function main() {
  try {
    release(parseReleaseArgs(process.argv.slice(2)));
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) main();
