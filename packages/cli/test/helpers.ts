import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startEmulator } from '@aps-auth/emulator/node';
import {
  type ChildResult,
  freePort,
  type RunChildOptions,
  runChild,
  waitForOutput,
} from '@aps-auth/test-utils';
import { afterAll, beforeAll } from 'vitest';
import type { Io, RunDeps } from '../src/io.js';

export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');
export const SECRET = 'cli-known-secret-Zq9vT3xW7pL2';
export const CLIENT_ID = 'cli-test-client';
export const PUBLIC_CLIENT_ID = 'cli-public-client';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

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

export interface WorldOptions {
  accessTokenLifetime?: number;
  autoApprove?: boolean;
  publicClient?: boolean;
}

export async function createWorld(options: WorldOptions = {}): Promise<TestWorld> {
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

/**
 * The world of a whole test file: created before its tests (and signed in with the built bin when `signedIn`),
 * closed after them. The returned object reads the live world on each access, so it can be used where a
 * `TestWorld` is expected (`runIn(world, …)`, `world.home`) from inside the tests.
 */
export function useWorld(options: WorldOptions & { signedIn?: boolean } = {}): TestWorld {
  let current: TestWorld | undefined;
  const { signedIn, ...worldOptions } = options;
  beforeAll(async () => {
    current = await createWorld(worldOptions);
    if (signedIn) await binLogin(current);
  });
  afterAll(async () => {
    await current?.close();
  });
  const live = (): TestWorld => {
    if (current === undefined) throw new Error('useWorld: the world exists inside the tests only');
    return current;
  };
  return {
    get emulator() {
      return live().emulator;
    },
    get root() {
      return live().root;
    },
    get home() {
      return live().home;
    },
    get cwd() {
      return live().cwd;
    },
    get tmp() {
      return live().tmp;
    },
    get callbackUrl() {
      return live().callbackUrl;
    },
    get env() {
      return live().env;
    },
    close: () => live().close(),
  };
}

export type BinResult = ChildResult;
export { freePort };
export type RunBinOptions = Omit<RunChildOptions, 'stdin'>;

/** Runs the built bin with the workspace's Node, no shell. */
export function runBin(args: readonly string[], options: RunBinOptions): Promise<BinResult> {
  return runChild(process.execPath, [BIN, ...args], options);
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

/** Runs the built bin in `world` (its cwd), with `env` laid over the world's environment. */
export function runIn(
  world: TestWorld,
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  options: { cwd?: string; input?: string } = {},
): Promise<BinResult> {
  return runBin(args, {
    env: { ...world.env, ...env },
    cwd: options.cwd ?? world.cwd,
    ...(options.input === undefined ? {} : { input: options.input }),
  });
}

/** Makes a stored access token expired (an hour-long one that ended 1 ms ago), so that it must be refreshed. */
export async function expireStoredToken(home: string, profile = 'default') {
  const path = join(home, 'tokens', `${profile}.json`);
  const file = await readTokenFile(home, profile);
  const expiresAt = Date.now() - 1;
  file.token = { ...file.token, expiresAt, issuedAt: expiresAt - 3_600_000 };
  await writeFile(path, JSON.stringify(file), { mode: 0o600 });
  return { path, file };
}

/** core's build, for a child process that plays another aps-auth process. */
export const CORE_DIST = join(dirname(BIN), '..', '..', 'core', 'dist');

export interface LockHolder {
  /** Lets the holder go: it releases the lock and exits; resolves with its exit code. */
  release(): Promise<number | null>;
}

/**
 * Another process holding the store lock of `profile` with core's `FileTokenStore`: a live lock (kept fresh
 * by its holder, so never taken over as stale), held until `release()`. Resolves once the lock is taken.
 */
export async function holdLock(home: string, profile = 'default'): Promise<LockHolder> {
  const core = pathToFileURL(join(CORE_DIST, 'node.js')).href;
  const script = `
    const { FileTokenStore } = await import(${JSON.stringify(core)});
    const store = new FileTokenStore({ home: process.env.APS_AUTH_HOME });
    await store.lock(${JSON.stringify(profile)}, async () => {
      process.stdout.write('locked\\n');
      // Until "go", or until the test's end closes the pipe.
      await new Promise((resolve) => process.stdin.once('data', resolve).once('end', resolve).resume());
    });
    process.exit(0);
  `;
  const holder = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', APS_AUTH_HOME: home },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => holder.once('exit', resolve));
  await waitForOutput(holder, /^locked$/m, 'stdout');
  return {
    release() {
      holder.stdin.end('go\n');
      return exited;
    },
  };
}
