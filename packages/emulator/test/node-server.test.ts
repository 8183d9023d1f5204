import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/index.js';
import { startEmulator } from '../src/node/index.js';
import { start } from './helpers.js';

describe('startEmulator (Node)', () => {
  it('listens on 127.0.0.1 by default, port 0 picks a free port, url has no trailing slash', async () => {
    const s = await start();
    expect(s.host).toBe('127.0.0.1');
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
    expect(s.port).toBeGreaterThan(0);
    expect((await fetch(`${s.url}/authentication/v2/keys`)).status).toBe(200);
  });

  it('does not answer on other local addresses', async () => {
    const s = await start();
    const ipv6 = await fetch(`http://[::1]:${s.port}/authentication/v2/keys`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(ipv6).toBe('refused');
  });

  it('fails clearly when the port is taken', async () => {
    const s = await start();
    await expect(startEmulator({ port: s.port })).rejects.toThrow(/EADDRINUSE/);
  });

  it('close() also closes idle keep-alive connections, and is idempotent', async () => {
    const s = await startEmulator({ port: 0 });
    const socketClosed = new Promise<void>((resolve, reject) => {
      const req = request(
        `${s.url}/authentication/v2/keys`,
        { headers: { connection: 'keep-alive' } },
        (res) => {
          res.resume();
          res.on('end', () => {
            req.socket?.once('close', () => resolve());
            void s.close();
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    await socketClosed;
    await s.close();
    await expect(fetch(`${s.url}/authentication/v2/keys`)).rejects.toThrow();
  });

  it('control on the server object is the same state as the HTTP control API', async () => {
    const s = await start();
    s.control.advanceClock(42);
    expect(await (await fetch(`${s.url}/__emulator/clock`)).json()).toMatchObject({ offsetSeconds: 42 });
  });
});

describe('the app alone (Web APIs only)', () => {
  it('serves a whole flow through emu.fetch and app.request without opening a port', async () => {
    const emu = await createEmulator({
      autoApprove: true,
      clients: [{ clientId: 'c', clientSecret: 's', redirectUris: ['http://localhost:1/cb'] }],
    });
    const auth = await emu.fetch(
      new Request(
        'http://emu.test/authentication/v2/authorize?client_id=c&response_type=code&scope=data:read&redirect_uri=http%3A%2F%2Flocalhost%3A1%2Fcb',
      ),
    );
    expect(auth.status).toBe(302);
    const code = new URL(auth.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const token = await emu.app.request('/authentication/v2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${btoa('c:s')}` },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'http://localhost:1/cb',
      }),
    });
    expect(token.status).toBe(200);
    expect(emu.control.requests().map((r) => r.endpoint)).toEqual(['authorize', 'token']);
  });

  it('uses the injected base clock', async () => {
    let t = Date.UTC(2030, 0, 1);
    const emu = await createEmulator({ now: () => t });
    expect(emu.control.clock()).toEqual({ now: '2030-01-01T00:00:00.000Z', offsetSeconds: 0 });
    t += 1000;
    emu.control.advanceClock(9);
    expect(emu.control.clock()).toEqual({ now: '2030-01-01T00:00:10.000Z', offsetSeconds: 9 });
  });

  it('src/app imports no node: module and touches no process or Buffer', () => {
    const dir = join(import.meta.dirname, '../src/app');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text, f).not.toMatch(/from ['"]node:|\bprocess\.|\bBuffer\b|@hono\/node-server/);
    }
  });

  it('src/app is type-checked without Node types (tsconfig.app.json, run by the typecheck script)', () => {
    const root = join(import.meta.dirname, '..');
    const config = JSON.parse(readFileSync(join(root, 'tsconfig.app.json'), 'utf8')) as {
      compilerOptions: { types: string[]; lib: string[] };
      include: string[];
    };
    expect(config.compilerOptions.types).toEqual([]);
    expect(config.compilerOptions.lib).toEqual(['ES2023', 'DOM', 'DOM.Iterable']);
    expect(config.include).toEqual(['src/app']);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.typecheck).toContain('tsc --noEmit -p tsconfig.app.json');
  });
});
