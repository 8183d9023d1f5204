import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { raw } from './helpers.js';

const BIN = join(import.meta.dirname, '../dist/bin.js');

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function spawnBin(args: string[]): Running {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'pipe' });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    exit,
    get url() {
      return /listening on (http:\/\/\S+)/.exec(out)?.[1] ?? '';
    },
    stdout: () => out + err,
  };
}

async function started(args: string[]): Promise<Running> {
  const r = spawnBin(args);
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (/listening on http:\/\/\S+\n/.test(r.stdout())) resolve();
    };
    r.child.stdout.on('data', onData);
    r.exit.then(({ code }) => reject(new Error(`bin exited with ${code}: ${r.stdout()}`)));
  });
  return r;
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error('dist/bin.js is missing: run `pnpm build` first (turbo does)');
});

describe('aps-auth-emulator bin', () => {
  it('listens on 127.0.0.1 by default, prints a demo client and stops cleanly on SIGTERM with exit 0', async () => {
    const r = await started(['--port', '0']);
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const text = r.stdout();
    expect(text).toContain(
      `APS_BASE_URL=${r.url}\nAPS_CLIENT_ID=aps-auth-demo\nAPS_CLIENT_SECRET=aps-auth-demo-secret\n`,
    );
    expect(text).toContain('APS_CALLBACK_URL=http://localhost:8080/api/auth/callback');
    // The demo client works.
    const res = await fetch(`${r.url}/authentication/v2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${btoa('aps-auth-demo:aps-auth-demo-secret')}`,
      },
      body: 'grant_type=client_credentials&scope=data:read',
    });
    expect(res.status).toBe(200);
    // Bound to 127.0.0.1 only: ::1 is refused.
    const port = Number(new URL(r.url).port);
    const refused = await fetch(`http://[::1]:${port}/authentication/v2/keys`).then(
      () => false,
      () => true,
    );
    expect(refused).toBe(true);
    // fetch keeps its connection alive in its pool: shutdown must not wait for it.
    r.child.kill('SIGTERM');
    expect(await r.exit).toEqual({ code: 0, signal: null });
    expect(r.stdout()).toContain('SIGTERM received, stopping');
    await expect(fetch(`${r.url}/authentication/v2/keys`)).rejects.toThrow();
  });

  it('stops cleanly on SIGINT with exit 0', async () => {
    const r = await started(['--port', '0']);
    r.child.kill('SIGINT');
    expect(await r.exit).toEqual({ code: 0, signal: null });
    expect(r.stdout()).toContain('SIGINT received, stopping');
  });

  it('registers --client flags, honours --auto-approve, --access-token-lifetime and --no-control', async () => {
    const r = await started([
      '--port',
      '0',
      '--auto-approve',
      '--no-control',
      '--access-token-lifetime',
      '100',
      '--client',
      'web:sec=http://localhost:7000/cb',
      '--client',
      'spa=http://localhost:7001/cb',
    ]);
    const text = r.stdout();
    expect(text).not.toContain('aps-auth-demo');
    expect(text).not.toContain('sec=');
    expect(text).toContain('client web (confidential): http://localhost:7000/cb');
    expect(text).toContain('client spa (public): http://localhost:7001/cb');
    const auth = await fetch(
      `${r.url}/authentication/v2/authorize?client_id=web&response_type=code&scope=data:read&redirect_uri=${encodeURIComponent('http://localhost:7000/cb')}`,
      { redirect: 'manual' },
    );
    expect(auth.status).toBe(302);
    const token = await fetch(`${r.url}/authentication/v2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${btoa('web:sec')}`,
      },
      body: 'grant_type=client_credentials&scope=data:read',
    });
    expect(((await token.json()) as { expires_in: number }).expires_in).toBe(99);
    expect((await fetch(`${r.url}/__emulator/requests`)).status).toBe(404);
    r.child.kill('SIGTERM');
    expect((await r.exit).code).toBe(0);
  });

  it('--grants, --post-logout-uri and --name: a client_credentials-only client is unauthorized_client at authorize', async () => {
    const cb = 'http://localhost:7000/cb';
    const r = await started([
      '--port',
      '0',
      '--auto-approve',
      '--client',
      `svc:sec=${cb}`,
      '--grants',
      'svc=client_credentials',
      '--post-logout-uri',
      'svc=http://localhost:7000/bye',
      '--name',
      'svc=Service App',
    ]);
    expect(r.stdout()).toContain(
      'client svc (confidential): http://localhost:7000/cb; grants: client_credentials; post-logout: http://localhost:7000/bye',
    );
    const auth = await fetch(
      `${r.url}/authentication/v2/authorize?client_id=svc&response_type=code&scope=data:read&state=s1&redirect_uri=${encodeURIComponent(cb)}`,
      { redirect: 'manual' },
    );
    expect(auth.status).toBe(302);
    const back = new URL(auth.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(cb);
    expect(Object.fromEntries(back.searchParams)).toEqual({
      error: 'unauthorized_client',
      error_description: 'The client is not authorized to use the authorization code flow',
      state: 's1',
    });
    const token = await fetch(`${r.url}/authentication/v2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${btoa('svc:sec')}`,
      },
      body: 'grant_type=client_credentials&scope=data:read',
    });
    expect(token.status).toBe(200);
    const bye = await fetch(
      `${r.url}/authentication/v2/logout?post_logout_redirect_uri=${encodeURIComponent('http://localhost:7000/bye')}`,
      { redirect: 'manual' },
    );
    expect(bye.status).toBe(302);
    const clients = (await (await fetch(`${r.url}/__emulator/clients`)).json()) as { clients: unknown[] };
    expect(clients.clients).toEqual([
      {
        clientId: 'svc',
        name: 'Service App',
        type: 'confidential',
        redirectUris: [cb],
        postLogoutRedirectUris: ['http://localhost:7000/bye'],
        grants: ['client_credentials'],
      },
    ]);
    r.child.kill('SIGTERM');
    expect((await r.exit).code).toBe(0);
  });

  it('--grants for an unknown client id is a usage error (exit 2)', async () => {
    const bad = spawnBin(['--client', 'a=http://localhost/cb', '--grants', 'b=refresh_token']);
    expect((await bad.exit).code).toBe(2);
    expect(bad.stdout()).toContain('no --client has the id "b"');
  });

  it('warns on stdout when it listens beyond loopback with the control API on, not with --no-control', async () => {
    const r = await started(['--port', '0', '--host', '0.0.0.0']);
    const lines = r.stdout().split('\n');
    expect(lines[0]).toMatch(/^aps-auth-emulator listening on http:\/\/0\.0\.0\.0:\d+$/);
    expect(lines[1]).toMatch(
      /^WARNING: listening on 0\.0\.0\.0, not a loopback address, with the control API on/,
    );
    r.child.kill('SIGTERM');
    expect((await r.exit).code).toBe(0);
    const quiet = await started(['--port', '0', '--host', '0.0.0.0', '--no-control']);
    expect(quiet.stdout()).not.toContain('WARNING');
    quiet.child.kill('SIGTERM');
    expect((await quiet.exit).code).toBe(0);
  });

  it('on 0.0.0.0 answers an IP address and --allowed-host names, and refuses any other Host (421)', async () => {
    const r = await started(['--port', '0', '--host', '0.0.0.0', '--allowed-host', 'emulator']);
    const port = new URL(r.url).port;
    const discovery = (host: string) =>
      raw(`http://127.0.0.1:${port}/.well-known/openid-configuration`, 'GET', { host });
    const named = await discovery(`emulator:${port}`);
    expect(named.status).toBe(200);
    expect(JSON.parse(named.body)).toMatchObject({ issuer: `http://emulator:${port}` });
    expect((await discovery(`127.0.0.1:${port}`)).status).toBe(200);
    expect((await discovery(`evil.example:${port}`)).status).toBe(421);
    r.child.kill('SIGTERM');
    expect((await r.exit).code).toBe(0);
  });

  it('--host binds the given address only', async () => {
    const r = await started(['--port', '0', '--host', '127.0.0.2']);
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
    expect((await fetch(`${r.url}/authentication/v2/keys`)).status).toBe(200);
    const port = new URL(r.url).port;
    await expect(fetch(`http://127.0.0.1:${port}/authentication/v2/keys`)).rejects.toThrow();
    r.child.kill('SIGTERM');
    expect((await r.exit).code).toBe(0);
  });

  it('--version, --help, and a usage error with exit 2', async () => {
    const v = spawnBin(['--version']);
    expect(await v.exit).toEqual({ code: 0, signal: null });
    expect(v.stdout()).toBe(`${pkg.version}\n`);
    const h = spawnBin(['--help']);
    expect((await h.exit).code).toBe(0);
    expect(h.stdout()).toContain('Usage: aps-auth-emulator');
    const bad = spawnBin(['--port', 'nope']);
    expect((await bad.exit).code).toBe(2);
    expect(bad.stdout()).toContain('--port must be an integer');
  });

  it('exits 1 with a clear message when the port is taken', async () => {
    const first = await started(['--port', '0']);
    const port = new URL(first.url).port;
    const second = spawnBin(['--port', port]);
    expect((await second.exit).code).toBe(1);
    expect(second.stdout()).toMatch(/cannot start: .*EADDRINUSE/);
  });
});
