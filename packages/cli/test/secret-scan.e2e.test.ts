import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BinResult,
  createWorld,
  listFiles,
  readTokenFile,
  runBin,
  SECRET,
  type TestWorld,
} from './helpers.js';

// With a known client secret, run every command on its success and failure paths. The secret, every refresh
// token, every authorization code and every PKCE verifier must appear in no output and in no file outside the
// token store (APS_AUTH_HOME). The verifier never leaves the CLI process, so it is found by its challenge:
// no base64url run in any output may hash (S256) to a code_challenge the CLI sent.

let world: TestWorld;
const outputs: Array<{ what: string; text: string }> = [];
const refreshTokens = new Set<string>();
const codes = new Set<string>();
const challenges = new Set<string>();

async function record(what: string, result: BinResult): Promise<BinResult> {
  outputs.push(
    { what: `${what} (stdout)`, text: result.stdout },
    { what: `${what} (stderr)`, text: result.stderr },
  );
  for (const match of result.stderr.matchAll(/code_challenge=([\w-]+)/g)) challenges.add(match[1]!);
  const stored = await readTokenFile(world.home).catch(() => undefined);
  if (stored?.token.refreshToken) refreshTokens.add(stored.token.refreshToken);
  return result;
}

const run = async (args: string[], env: Record<string, string | undefined> = {}) =>
  record(args.join(' '), await runBin(args, { env: { ...world.env, ...env }, cwd: world.cwd }));

/** login --manual: the test plays the browser, so it sees the code (and records it as a secret). */
async function manualLogin(decision: 'auto' | 'deny' = 'auto'): Promise<BinResult> {
  const result = await runBin(['login', '--manual'], {
    env: { ...world.env, APS_AUTH_BROWSER: undefined },
    cwd: world.cwd,
    onSpawn: (child: ChildProcess) => {
      let text = '';
      let done = false;
      child.stderr!.on('data', async (chunk: Buffer) => {
        text += chunk.toString();
        const url = /^ {2}(http:\/\/\S+\/authorize\?\S+)$/m.exec(text)?.[1];
        if (url === undefined || done) return;
        done = true;
        let location: string;
        if (decision === 'auto') {
          location = (await fetch(url, { redirect: 'manual' })).headers.get('location')!;
        } else {
          world.emulator.control.setAutoApprove(false);
          const page = await (await fetch(url, { redirect: 'manual' })).text();
          const request = /name="request" value="([^"]+)"/.exec(page)![1]!;
          const answer = await fetch(new URL('/authentication/v2/authorize/decision', url), {
            method: 'POST',
            body: new URLSearchParams({ request, decision: 'deny' }),
            redirect: 'manual',
          });
          location = answer.headers.get('location')!;
          world.emulator.control.setAutoApprove(true);
        }
        const code = new URL(location).searchParams.get('code');
        if (code) codes.add(code);
        child.stdin!.end(`${location}\n`);
      });
    },
  });
  return record(`login --manual (${decision})`, result);
}

beforeAll(async () => {
  world = await createWorld();

  // Success paths.
  expect((await manualLogin()).code).toBe(0);
  expect((await run(['login'])).code).toBe(0);
  expect((await run(['login', '--json', '--profile', 'second'])).code).toBe(0);
  for (const args of [
    ['token'],
    ['token', '--json'],
    ['token', '--scopes', 'viewables:read', '--json'],
    ['status'],
    ['status', '--json'],
    ['refresh'],
    ['refresh', '--json'],
    ['profiles'],
    ['profiles', '--json'],
    ['doctor'],
    ['doctor', '--json'],
    ['two-legged', '--scopes', 'data:read'],
    ['two-legged', '--scopes', 'data:read', '--json'],
    ['exec', '--', process.execPath, '-e', 'process.exit(0)'],
    ['logout', '--profile', 'second', '--json'],
  ]) {
    expect((await run(args)).code, args.join(' ')).toBe(0);
  }

  // Failure paths.
  expect((await manualLogin('deny')).code).toBe(4);
  world.emulator.control.addFault({
    endpoint: 'token',
    status: 503,
    body: '{"error":"temporarily_unavailable"}',
  });
  expect((await run(['refresh'])).code).toBe(5);
  world.emulator.control.addFault({
    endpoint: 'token',
    status: 502,
    contentType: 'text/html',
    body: '<h1>Bad gateway</h1>',
  });
  expect((await run(['refresh', '--json'])).code).toBe(5);
  expect(
    (await run(['two-legged', '--scopes', 'data:read'], { APS_CLIENT_SECRET: `${SECRET}-wrong` })).code,
  ).toBe(1);
  expect((await run(['refresh'], { APS_CLIENT_SECRET: `${SECRET}-wrong` })).code).not.toBe(0);
  world.emulator.control.setAutoApprove(false);
  expect((await run(['login', '--timeout', '1', '--profile', 'stuck'])).code).toBe(4);
  world.emulator.control.setAutoApprove(true);
  // A refresh token the server rejects (sign-in required), on an expired token.
  const path = join(world.home, 'tokens', 'default.json');
  const file = await readTokenFile(world.home);
  refreshTokens.add(file.token.refreshToken!);
  await writeFile(
    path,
    JSON.stringify({
      ...file,
      token: { ...file.token, expiresAt: Date.now() - 1, refreshToken: `${file.token.refreshToken}x` },
    }),
    { mode: 0o600 },
  );
  expect((await run(['token'])).code).toBe(3);
  expect((await run(['exec', '--', 'true'])).code).toBe(3);
  await writeFile(path, JSON.stringify(file), { mode: 0o600 });
  world.emulator.control.addFault({ endpoint: 'revoke', status: 503, times: 2, body: '{}' });
  expect((await run(['logout'])).code).toBe(5);
  expect((await run(['status', '--json'])).code).toBe(3);
  // About forty runs of the bin one after another: a bound against a hang, generous for a loaded CI machine.
}, 240_000);

afterAll(async () => {
  await world.close();
});

describe('secret scan', () => {
  it('collected what it scans for', () => {
    expect(codes.size).toBeGreaterThanOrEqual(1);
    expect(refreshTokens.size).toBeGreaterThanOrEqual(3);
    // Only manual mode prints the authorize URL (and its challenge); loopback modes print the start link.
    expect(challenges.size).toBeGreaterThanOrEqual(2);
    expect(outputs.length).toBeGreaterThan(50);
  });

  it('no output holds the secret, a refresh token or a code', () => {
    const secrets = [SECRET, ...refreshTokens, ...codes];
    for (const { what, text } of outputs) {
      for (const secret of secrets) expect(text.includes(secret), `${what} holds a secret`).toBe(false);
    }
  });

  it('no output holds a PKCE verifier', () => {
    for (const { what, text } of outputs) {
      for (const run of text.match(/[\w-]{43,128}/g) ?? []) {
        const challenge = createHash('sha256').update(run).digest('base64url');
        expect(challenges.has(challenge), `${what} holds a verifier`).toBe(false);
      }
    }
  });

  it('no file outside APS_AUTH_HOME holds a secret; inside it, only the token store and profiles', async () => {
    const secrets = [SECRET, ...refreshTokens, ...codes];
    const files = await listFiles(world.root);
    for (const file of files) {
      const rel = relative(world.root, file);
      if (rel.startsWith(`home/`)) {
        expect(rel, 'an unexpected file in the store').toMatch(/^home\/(tokens|profiles)\/[\w.-]+\.json$/);
        continue;
      }
      const text = await readFile(file, 'utf8');
      for (const secret of secrets) expect(text.includes(secret), `${rel} holds a secret`).toBe(false);
    }
  });
});
