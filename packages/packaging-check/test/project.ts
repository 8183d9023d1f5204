import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PublishedPackage } from './workspace.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (a hang guard stops it after 3 minutes); never throws for a non-zero exit. */
export function run(
  file: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env, timeout: 180_000, maxBuffer: 32 << 20 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

const liveBins = new Set<ChildProcess>();

/** Stops every bin still running (a test that failed or timed out leaves none behind). */
export function stopLiveBins(): void {
  for (const child of liveBins) child.kill('SIGKILL');
  liveBins.clear();
}

export interface BinRun extends Run {
  /** The bin said it is listening (it served instead of answering and exiting); it was then stopped. */
  served: boolean;
}

/**
 * Runs a bin to its end, or until it says it is listening (`listening on` on stderr): a bin that serves
 * instead of answering `--version` is stopped then (SIGTERM) and reported with `served`. A hang guard stops
 * it after 60 s.
 */
export function runBin(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<BinRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    liveBins.add(child);
    let stdout = '';
    let stderr = '';
    let served = false;
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!served && /listening on /.test(stderr)) {
        served = true;
        child.kill('SIGTERM');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      liveBins.delete(child);
      clearTimeout(guard);
      resolve({ code: code ?? -1, stdout, stderr, served });
    });
  });
}

/** The environment of every child: the Node running this test (the workspace's Node 24) first on PATH. */
export const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  npm_config_update_notifier: 'false',
};

const require = createRequire(import.meta.url);

/** The Node 22 binary of the npm package node@22, held by @aps-auth/runtime-matrix-node22. */
export function node22Path(): string {
  const holder = dirname(require.resolve('@aps-auth/runtime-matrix-node22/package.json'));
  const nodeDir = dirname(createRequire(join(holder, 'package.json')).resolve('node/package.json'));
  return join(nodeDir, 'bin', 'node');
}

export interface Project {
  /** An empty npm project in the temporary directory, outside the workspace. */
  dir: string;
  /** The tarball of each published package, by name. */
  tarballs: Map<string, string>;
  remove(): Promise<void>;
}

/** `pnpm pack` of each package into `dest`; returns its tarball's path. */
async function pack(pkg: PublishedPackage, dest: string): Promise<string> {
  const before = new Set(await readdir(dest));
  const packed = await run('pnpm', ['pack', '--pack-destination', dest], pkg.dir, childEnv);
  if (packed.code !== 0) throw new Error(`pnpm pack failed in ${pkg.dir}: ${packed.stderr}`);
  const added = (await readdir(dest)).filter((f) => !before.has(f) && f.endsWith('.tgz'));
  if (added.length !== 1) throw new Error(`pnpm pack in ${pkg.dir} made ${added.length} tarballs`);
  return join(dest, added[0] as string);
}

/**
 * Packs every published package, then installs all the tarballs at once into one empty project in the
 * temporary directory (their dependencies come from the npm registry), with `@types/node` for the type check.
 */
export async function createProject(packages: PublishedPackage[]): Promise<Project> {
  const dir = await mkdtemp(join(tmpdir(), 'aps-auth-packaging-'));
  try {
    return await fillProject(dir, packages);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function fillProject(dir: string, packages: PublishedPackage[]): Promise<Project> {
  const tarballs = new Map<string, string>();
  for (const pkg of packages) tarballs.set(pkg.name, await pack(pkg, dir));
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'packaging-check-project', private: true, type: 'module' }, null, 2)}\n`,
  );
  const installed = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs.values(), '@types/node@24'],
    dir,
    childEnv,
  );
  if (installed.code !== 0) throw new Error(`npm install failed: ${installed.stderr.slice(-3000)}`);
  return { dir, tarballs, remove: () => rm(dir, { recursive: true, force: true }) };
}
