/** The bin's configuration: environment, .env, the Flask app's names, SESSION_SECRET, the embedded emulator. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWebEnv, runWebServer } from '../src/node/index.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function folder(dotenv?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aps-auth-web-'));
  dirs.push(dir);
  if (dotenv !== undefined) await writeFile(join(dir, '.env'), dotenv);
  return dir;
}

describe('loadWebEnv', () => {
  it('reads the APS_ names, with defaults for the rest', async () => {
    const config = loadWebEnv(
      { APS_CLIENT_ID: 'id', APS_CLIENT_SECRET: 's', SESSION_SECRET: 'x'.repeat(40) },
      await folder(),
    );
    expect(config).toMatchObject({
      clientId: 'id',
      clientSecret: 's',
      callbackUrl: 'http://localhost:8080/api/auth/callback',
      scopes: 'data:read viewables:read user-profile:read',
      port: 8080,
      host: '127.0.0.1',
      notices: [],
    });
  });

  it("reads a Flask app's .env and names the preferred APS_ names", async () => {
    const dir = await folder(
      'CLIENT_ID=flask-id\nCLIENT_SECRET=flask-secret\nCALLBACK_URL=http://localhost:5000/api/auth/callback\nSCOPES="data:read viewables:read"\n',
    );
    const config = loadWebEnv({ SESSION_SECRET: 'x'.repeat(40) }, dir);
    expect(config).toMatchObject({
      clientId: 'flask-id',
      clientSecret: 'flask-secret',
      callbackUrl: 'http://localhost:5000/api/auth/callback',
      scopes: 'data:read viewables:read',
    });
    expect(config.notices).toHaveLength(1);
    expect(config.notices[0]).toContain('CLIENT_ID -> APS_CLIENT_ID');
    expect(config.notices[0]).toContain('the preferred names are APS_CLIENT_ID, APS_CLIENT_SECRET');
    expect(config.notices[0]).not.toContain('flask-secret');
  });

  it('prefers the environment over .env, and APS_ names over the Flask names', async () => {
    const dir = await folder('APS_CLIENT_ID=from-dotenv\nCLIENT_ID=flask\nPORT=9000\n');
    const config = loadWebEnv({ APS_CLIENT_ID: 'from-env', SESSION_SECRET: 'x'.repeat(40) }, dir);
    expect(config.clientId).toBe('from-env');
    expect(config.port).toBe(9000);
    expect(config.callbackUrl).toBe('http://localhost:9000/api/auth/callback');
    expect(config.notices).toEqual([]);
  });

  it('requires SESSION_SECRET in production', async () => {
    expect(() => loadWebEnv({ NODE_ENV: 'production', APS_CLIENT_ID: 'id' }, '/nonexistent')).toThrow(
      expect.objectContaining({ code: 'CONFIGURATION_ERROR', field: 'SESSION_SECRET' }),
    );
  });

  it('generates one otherwise, with a warning', async () => {
    const config = loadWebEnv({ APS_CLIENT_ID: 'id' }, await folder());
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(config.notices.join('\n')).toContain('WARNING: SESSION_SECRET is not set');
  });

  it('refuses a bad PORT', async () => {
    const dir = await folder();
    expect(() => loadWebEnv({ PORT: 'eighty' }, dir)).toThrow(expect.objectContaining({ field: 'PORT' }));
  });
});

describe('runWebServer', () => {
  it('without APS credentials runs against the embedded emulator, labelled, on 127.0.0.1', async () => {
    const lines: string[] = [];
    const running = await runWebServer({
      env: { PORT: '0' },
      cwd: await folder(),
      write: (l) => lines.push(l),
    });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(lines.join('\n')).toContain('[local emulator]');
      const home = await (await fetch(`${running.url}/`)).text();
      expect(home).toContain('Local APS emulator');
      const login = await fetch(`${running.url}/api/auth/login`, { redirect: 'manual' });
      expect(login.headers.get('location')).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/authentication\/v2\/authorize\?/,
      );
    } finally {
      await running.close();
    }
  });

  it('with a client id starts no emulator and reports a bad configuration', async () => {
    await expect(
      runWebServer({
        env: {
          APS_CLIENT_ID: 'id',
          APS_CALLBACK_URL: 'http://localhost:1/cb',
          SESSION_SECRET: 'x'.repeat(40),
          PORT: '0',
        },
        cwd: await folder(),
        write: () => undefined,
      }),
    ).rejects.toMatchObject({ code: 'CONFIGURATION_ERROR', field: 'redirectUri' });
  });
});
