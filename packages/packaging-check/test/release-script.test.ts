/**
 * scripts/release.mjs, run for real in a temporary git repository with a `pnpm` on PATH that records every
 * call and fails loudly on a publish without --dry-run: the steps run in order, a dry run never publishes,
 * and a tree with uncommitted changes is refused before anything runs.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { childEnv, run } from './project.js';
import { ROOT } from './workspace.js';

const RELEASE = join(ROOT, 'scripts', 'release.mjs');
// A publish without --dry-run exits 97 and says so: the script must never get there on a dry run.
const FAKE_PNPM = `#!/bin/sh
printf '%s\\n' "$*" >> "$PNPM_CALLS"
# "changeset version" writes a changelog, as the real one does when changesets are pending.
if [ "$*" = "exec changeset version" ] && [ -n "$FAKE_VERSION_WRITES" ]; then echo "## 0.0.1" > CHANGELOG.md; fi
if [ "$1" = publish ]; then
  case " $* " in *" --dry-run "*) exit 0 ;; esac
  echo "FAKE PNPM: A REAL PUBLISH WAS ATTEMPTED" >&2
  exit 97
fi
exit 0
`;

let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aps-auth-release-script-'));
  const bin = join(dir, 'bin');
  const repo = join(dir, 'repo');
  await run('mkdir', ['-p', bin, repo], dir);
  await writeFile(join(bin, 'pnpm'), FAKE_PNPM);
  await chmod(join(bin, 'pnpm'), 0o755);
  await writeFile(join(repo, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
  await writeFile(join(repo, 'package.json'), '{ "name": "release-fixture", "private": true }\n');
  env = { ...childEnv, PATH: `${bin}:${childEnv.PATH}`, PNPM_CALLS: join(dir, 'calls.log') };
  const g = (args: string[]) =>
    run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], repo, env);
  await g(['init', '-q']);
  await g(['add', '-A']);
  await g(['commit', '-q', '-m', 'fixture']);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const release = (args: string[]) => run(process.execPath, [RELEASE, ...args], join(dir, 'repo'), env);
const calls = async () =>
  (await readFile(join(dir, 'calls.log'), 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');

describe('npm run release (scripts/release.mjs)', () => {
  it('--dry-run: version, build, packaging checks, then pnpm publish -r with --dry-run; publishes nothing', async () => {
    const result = await release(['--dry-run']);
    expect(result.stderr).not.toContain('A REAL PUBLISH');
    expect(result.code, result.stderr).toBe(0);
    expect(await calls()).toEqual([
      'exec changeset version',
      'exec turbo run build',
      'exec turbo run test --filter=@aps-auth/packaging-check',
      'publish -r --access public --dry-run --no-git-checks',
    ]);
    expect(result.stderr).toContain('nothing was published');
  });

  it('--skip-version leaves changeset out', async () => {
    const result = await release(['--dry-run', '--skip-version']);
    expect(result.code, result.stderr).toBe(0);
    expect((await calls())[0]).toBe('exec turbo run build');
    expect((await calls()).some((c) => c.includes('changeset'))).toBe(false);
  });

  it('without --dry-run it publishes for real (here the fake pnpm refuses, and the release fails)', async () => {
    const result = await release(['--skip-version']);
    expect((await calls()).at(-1)).toBe('publish -r --access public');
    expect(result.stderr).toContain('A REAL PUBLISH');
    expect(result.code).toBe(1);
  });

  it('--dry-run undoes the version step afterwards; a real release commits it before publishing', async () => {
    env.FAKE_VERSION_WRITES = '1';
    const repo = join(dir, 'repo');
    const dry = await release(['--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect((await calls()).at(-1)).toBe('publish -r --access public --dry-run --no-git-checks');
    expect((await run('git', ['status', '--porcelain'], repo, env)).stdout).toBe('');
    expect((await run('git', ['log', '--format=%s'], repo, env)).stdout).toBe('fixture\n');
    const real = await release([]);
    expect(real.code).toBe(1); // the fake pnpm refuses the real publish
    expect((await run('git', ['log', '--format=%s'], repo, env)).stdout).toBe('Version packages\nfixture\n');
    expect((await run('git', ['show', '--name-only', '--format=', 'HEAD'], repo, env)).stdout).toBe(
      'CHANGELOG.md\n',
    );
  });

  it('refuses a tree with uncommitted changes before running anything', async () => {
    await writeFile(join(dir, 'repo', 'stray.txt'), 'not committed\n');
    const result = await release(['--dry-run']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('refusing to release from a tree with uncommitted changes');
    expect(result.stderr).toContain('stray.txt');
    expect(await calls()).toEqual([]);
  });

  it('refuses an unknown option', async () => {
    const result = await release(['--dryrun']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown option --dryrun');
    expect(await calls()).toEqual([]);
  });
});
