import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CaseResult } from '../suite/suite.js';

/** What a runtime prints or answers: who it is and each case's result. */
export interface RuntimeReport {
  runtime: string;
  origin?: string;
  results: CaseResult[];
}

const require = createRequire(import.meta.url);

function packageDir(name: string, from = require): string {
  return dirname(from.resolve(`${name}/package.json`));
}

function existing(path: string, why: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${why}`);
  return path;
}

const BUILD_SCRIPT = 'its install script did not run (see allowBuilds in pnpm-workspace.yaml)';

/** The binaries the npm packages installed, by runtime. */
export const binaries = {
  /** The npm package node@22, held by the workspace package @aps-auth/runtime-matrix-node22. */
  node22: () => {
    const holder = packageDir('@aps-auth/runtime-matrix-node22');
    const nodeDir = packageDir('node', createRequire(join(holder, 'package.json')));
    return existing(join(nodeDir, 'bin', 'node'), BUILD_SCRIPT);
  },
  /** The workspace's own Node 24 (the root devDependency `node`). */
  node24: () => {
    const root = join(packageDir('@aps-auth/core'), '..', '..');
    const nodeDir = packageDir('node', createRequire(join(root, 'package.json')));
    return existing(join(nodeDir, 'bin', 'node'), BUILD_SCRIPT);
  },
  deno: () => existing(join(packageDir('deno'), 'deno'), BUILD_SCRIPT),
  bun: () => existing(join(packageDir('bun'), 'bin', 'bun.exe'), BUILD_SCRIPT),
};

/** Parses the report a runtime printed as its last line of output. */
export function parseReport(stdout: string, stderr: string): RuntimeReport {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as RuntimeReport;
  } catch {
    throw new Error(`no report on stdout.\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`);
  }
}

/** Runs a command line runtime to its end and returns its report (a hang guard stops it after 60 s). */
export function runToReport(file: string, args: string[], cwd: string): Promise<RuntimeReport> {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DENO_NO_UPDATE_CHECK: '1' };
    execFile(file, args, { cwd, env, timeout: 60_000, maxBuffer: 4 << 20 }, (error, stdout, stderr) => {
      try {
        resolve(parseReport(stdout, stderr));
      } catch (parseError) {
        reject(error ?? parseError);
      }
    });
  });
}
