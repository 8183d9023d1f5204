import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '@aps-auth/emulator/node';
import type { Io, RunDeps } from '../src/io.js';

export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');
export const SECRET = 'cli-known-secret-Zq9vT3xW7pL2';
export const CLIENT_ID = 'cli-test-client';
export const PUBLIC_CLIENT_ID = 'cli-public-client';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** A free TCP port on 127.0.0.1 (for callback URLs). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface TestWorld {
  emulator: Emulator;
  /** A temporary directory holding `home` (APS_AUTH_HOME), `cwd` and `tmp` (TMPDIR). */
  root: string;
  home: string;
  cwd: string;
  tmp: string;
  callbackUrl: string;
  /** The environment for the CLI: nothing inherited but PATH. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function createWorld(
  options: { accessTokenLifetime?: number; autoApprove?: boolean; publicClient?: boolean } = {},
): Promise<TestWorld> {
  const callbackUrl = `http://localhost:${await freePort()}/api/auth/callback`;
  const emulator = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    autoApprove: options.autoApprove ?? true,
    rateLimits: false,
    ...(options.accessTokenLifetime === undefined
      ? {}
      : { accessTokenLifetime: options.accessTokenLifetime }),
    clients: [
      { clientId: CLIENT_ID, clientSecret: SECRET, redirectUris: [callbackUrl] },
      { clientId: PUBLIC_CLIENT_ID, redirectUris: [callbackUrl] },
    ],
  });
  const root = await mkdtemp(join(tmpdir(), 'aps-auth-cli-test-'));
  const home = join(root, 'home');
  const cwd = join(root, 'cwd');
  const tmp = join(root, 'tmp');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(cwd);
  await mkdir(tmp);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: root,
    TMPDIR: tmp,
    APS_AUTH_HOME: home,
    APS_CLIENT_ID: options.publicClient ? PUBLIC_CLIENT_ID : CLIENT_ID,
    APS_BASE_URL: emulator.url,
    APS_CALLBACK_URL: callbackUrl,
    APS_AUTH_BROWSER: 'fetch',
    ...(options.publicClient ? {} : { APS_CLIENT_SECRET: SECRET }),
  };
  return {
    emulator,
    root,
    home,
    cwd,
    tmp,
    callbackUrl,
    env,
    async close() {
      await emulator.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface BinResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunBinOptions {
  env: Record<string, string | undefined>;
  cwd?: string;
  input?: string;
  /** Called with the child as soon as it is spawned (to write stdin or send signals later). */
  onSpawn?: (child: ChildProcess) => void;
}

/** Runs the built bin with the workspace's Node, no shell. */
export function runBin(args: readonly string[], options: RunBinOptions): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (options.input !== undefined) child.stdin.end(options.input);
    options.onSpawn?.(child);
  });
}

/** Signs in with the built bin (auto-approve, the fetch browser). */
export async function binLogin(world: TestWorld, args: readonly string[] = []): Promise<BinResult> {
  const result = await runBin(['login', ...args], { env: world.env, cwd: world.cwd });
  if (result.code !== 0) throw new Error(`login failed (${result.code}): ${result.stderr}`);
  return result;
}

export interface StoredFile {
  schemaVersion: number;
  token: {
    accessToken: string;
    refreshToken?: string;
    expiresAt: number;
    issuedAt: number;
    scopes: string[];
  };
}

export async function readTokenFile(home: string, profile = 'default'): Promise<StoredFile> {
  return JSON.parse(await readFile(join(home, 'tokens', `${profile}.json`), 'utf8')) as StoredFile;
}

/** Every regular file under `dir`, recursively. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(entry.parentPath ?? dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if ((await stat(path)).isFile()) out.push(path);
  }
  return out;
}

/** An injected io capturing stdout and stderr, for in-process runs. */
export function captureIo(
  options: { env?: Record<string, string | undefined>; cwd?: string; tty?: boolean; stdin?: string } = {},
): Io & { out(): string; err(): string } {
  let out = '';
  let err = '';
  const stdin = new PassThrough();
  if (options.stdin !== undefined) stdin.end(options.stdin);
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    stdin,
    stdoutIsTTY: options.tty ?? false,
    stderrIsTTY: options.tty ?? false,
    stdinIsTTY: options.tty ?? false,
    env: options.env ?? {},
    cwd: options.cwd ?? tmpdir(),
    out: () => out,
    err: () => err,
  };
}

export function deps(io: Io, extra: Partial<RunDeps> = {}): RunDeps {
  return { io, signal: new AbortController().signal, onSignal: () => () => undefined, ...extra };
}
