import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChildResult, runChild } from '@aps-auth/test-utils';
import { build } from 'esbuild';
import { afterAll, afterEach } from 'vitest';
import type { Token } from '../../src/index.js';

const homes: string[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh directory in the system's temporary directory, removed after the test. */
export async function tempDir(prefix = 'aps-auth-core-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  homes.push(dir);
  return dir;
}

/** A port free on 127.0.0.1 and ::1 right now. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: 0 }, () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const v6Free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRNOTAVAIL'));
      server.listen({ host: '::1', port }, () => server.close(() => resolve(true)));
    });
    if (v6Free) return port;
  }
}

export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** One HTTP request with full control of the Host header and the address connected to. */
export function httpRequest(
  port: number,
  path: string,
  options: { host?: string; address?: string; method?: string; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: options.address ?? '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? `localhost:${port}` },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The local addresses listening on `port`, from /proc/net/tcp{,6} (hex, as the kernel writes them). */
export function listeningAddresses(port: number): string[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const rows = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8').split('\n').slice(1),
  );
  return rows
    .map((row) => row.trim().split(/\s+/))
    .filter((cols) => cols[1]?.endsWith(`:${hex}`) && cols[3] === '0A')
    .map((cols) => cols[1]!.split(':')[0]!)
    .sort();
}
export const LOOPBACK_V4_HEX = '0100007F';
export const LOOPBACK_V6_HEX = '00000000000000000000000001000000';

const here = dirname(fileURLToPath(import.meta.url));
const bundles = new Map<string, Promise<string>>();
afterAll(async () => {
  const files = await Promise.all([...bundles.values()].map((b) => b.catch(() => undefined)));
  bundles.clear();
  await Promise.all(
    files.map((file) => (file ? rm(dirname(file), { recursive: true, force: true }) : undefined)),
  );
});

/**
 * Bundles `fixtures/<name>.ts` (with core's source) into one `.mjs` in the temporary directory, so a child
 * process runs the code under test on Node 24 without a loader. proper-lockfile and open stay imports of
 * their installed files (absolute paths), so a child can tell whether it loaded them.
 */
export function bundleFixture(name: string): Promise<string> {
  let bundle = bundles.get(name);
  if (bundle === undefined) {
    bundle = (async () => {
      const outdir = await mkdtemp(join(tmpdir(), 'aps-auth-fixture-'));
      const outfile = join(outdir, `${name}.mjs`);
      await build({
        entryPoints: [join(here, 'fixtures', `${name}.ts`)],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node22',
        logLevel: 'error',
        plugins: [
          {
            name: 'installed-externals',
            setup(b) {
              b.onResolve({ filter: /^(proper-lockfile|open)$/ }, async (args) => {
                if (args.pluginData === 'inner') return undefined;
                const found = await b.resolve(args.path, {
                  kind: args.kind,
                  resolveDir: args.resolveDir,
                  pluginData: 'inner',
                });
                return { path: found.path, external: true };
              });
            },
          },
        ],
      });
      return outfile;
    })();
    bundles.set(name, bundle);
  }
  return bundle;
}

/** Runs a bundled fixture on this Node (24), with this process's environment and `env`, and collects its output. */
export function runNode(script: string, env: Record<string, string>, cwd?: string): Promise<ChildResult> {
  return runChild(process.execPath, [script], { env: { ...process.env, ...env }, cwd, stdin: 'ignore' });
}

/** A stored token `n` (fixed times far ahead: valid whatever the clock), with `extra` laid over it. */
export const testToken = (n = 1, extra: Partial<Token> = {}): Token => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  tokenType: 'Bearer',
  expiresAt: 2_000_000_000_000,
  issuedAt: 1_999_996_400_000,
  scopes: ['data:read'],
  ...extra,
});
