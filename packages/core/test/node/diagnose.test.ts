import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APS_BASE_URL, MemoryTokenStore } from '../../src/index.js';
import {
  type DiagnosticReport,
  diagnose,
  FileTokenStore,
  type LoadedConfig,
  login,
} from '../../src/node/index.js';
import { SECRET, start } from '../helpers.js';
import { freePort, tempDir } from './helpers.js';

function loaded(overrides: Partial<LoadedConfig> = {}): LoadedConfig {
  const config: LoadedConfig = {
    profile: 'default',
    home: '/nonexistent',
    clientId: 'web-app-id',
    clientSecret: undefined,
    callbackUrl: 'http://localhost:8080/api/auth/callback',
    scopes: ['data:read'],
    baseUrl: APS_BASE_URL,
    sources: {
      profile: 'default',
      home: 'default',
      clientId: 'env',
      clientSecret: 'env',
      callbackUrl: 'env',
      scopes: 'default',
      baseUrl: 'env',
    },
    dotenvPath: undefined,
    ...overrides,
  };
  Object.defineProperty(config, 'clientSecret', { value: SECRET, enumerable: false });
  return config;
}

const byId = (report: DiagnosticReport) => Object.fromEntries(report.checks.map((c) => [c.id, c]));

async function setup() {
  const port = await freePort();
  const callbackUrl = `http://localhost:${port}/api/auth/callback`;
  const server = await start({
    autoApprove: true,
    clients: [{ clientId: 'web-app-id', clientSecret: SECRET, redirectUris: [callbackUrl] }],
  });
  return { server, port, callbackUrl, config: loaded({ callbackUrl, baseUrl: server.url }) };
}

/** The emulator's authorize URL for a callback URL it has not registered: its "400 - Invalid redirect_uri" page. */
function unregisteredAuthorizeUrl(base: string): URL {
  const url = new URL(`${base}/authentication/v2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: 'web-app-id',
    redirect_uri: 'http://localhost:1/not/registered',
    scope: 'data:read',
    state: 'abc',
  }).toString();
  return url;
}

describe('diagnose()', () => {
  it('passes every check against the emulator with a registered callback URL; issues no code', async () => {
    const { server, config } = await setup();
    const report = await diagnose(config);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['config', 'pass'],
      ['callback-url', 'pass'],
      ['port', 'pass'],
      ['server', 'pass'],
      ['clock', 'pass'],
      ['callback-registered', 'pass'],
      ['token-file', 'pass'],
    ]);
    expect(report.ok).toBe(true);
    expect(byId(report).config!.message).toContain('web-app-id from the environment');
    expect(byId(report).config!.message).toContain('confidential');
    const authorize = server.control.requests().filter((r) => r.endpoint === 'authorize');
    expect(authorize).toHaveLength(1);
    expect(server.control.requests().filter((r) => r.endpoint === 'token')).toHaveLength(0);
    expect(JSON.stringify(report)).not.toContain(SECRET);
  });

  it('an unregistered callback URL fails with the exact URL to register', async () => {
    const { config } = await setup();
    const other = `http://localhost:${await freePort()}/other/callback`;
    const report = await diagnose({ ...config, callbackUrl: other, clientSecret: undefined });
    const check = byId(report)['callback-registered']!;
    expect(check.status).toBe('fail');
    expect(check.message).toContain(`add exactly ${other}`);
    expect(check.message).toContain('not registered for the app web-app-id');
    expect(report.ok).toBe(false);
  });

  it('a registered callback URL with a refused request is a warning naming the error', async () => {
    const { server, config } = await setup();
    server.control.addFault({
      endpoint: 'authorize',
      status: 302,
      headers: { location: `${config.callbackUrl}?error=invalid_scope&error_description=nope&state=x` },
    });
    const check = byId(await diagnose(config))['callback-registered']!;
    expect(check.status).toBe('warn');
    expect(check.message).toContain('invalid_scope');
  });

  it('the authorize request is the one a login sends (createAuthorizationRequest), through the transport', async () => {
    const { server, config } = await setup();
    const seen: { url: string; headers: Headers }[] = [];
    const recording = (input: string | URL | Request, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      seen.push({ url, headers: new Headers(input instanceof Request ? input.headers : init?.headers) });
      return fetch(input, init);
    };
    await diagnose(config, { fetch: recording });
    const authorize = seen.find((r) => r.url.includes('/authorize?'))!;
    const params = new URL(authorize.url).searchParams;
    expect(Object.fromEntries(params)).toEqual({
      response_type: 'code',
      client_id: 'web-app-id',
      redirect_uri: config.callbackUrl,
      scope: 'data:read',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: 'S256',
      prompt: 'login',
    });
    // The transport's user agent on every request.
    expect(seen.map((r) => r.headers.get('user-agent'))).toEqual(seen.map(() => 'aps-auth-core'));
    expect(server.control.requests().filter((r) => r.endpoint === 'token')).toHaveLength(0);
    // More than 50 scopes: refused locally, in core's words, as a login would.
    const wide = byId(await diagnose({ ...config, scopes: Array.from({ length: 51 }, (_, i) => `s:${i}`) }));
    expect(wide['callback-registered']).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('50'),
    });
  });

  it('a redirect elsewhere is followed once (no further) and checked: an "Invalid redirect_uri" page there fails', async () => {
    const { server, config } = await setup();
    // The authorize endpoint redirects to a page that shows the "400 - Invalid redirect_uri" error (as an
    // identity provider in front of APS may): not a pass.
    const unregistered = unregisteredAuthorizeUrl(server.url);
    server.control.addFault({
      endpoint: 'authorize',
      status: 302,
      headers: { location: unregistered.href },
    });
    const failed = byId(await diagnose(config))['callback-registered']!;
    expect(failed.status).toBe('fail');
    expect(failed.message).toContain(`add exactly ${config.callbackUrl}`);
    expect(server.control.requests().filter((r) => r.endpoint === 'authorize')).toHaveLength(2);

    // A redirect to a sign-in page that answers: a pass. The page's own redirects are not followed.
    server.control.clearRequests();
    const registered = new URL(unregistered);
    registered.searchParams.set('redirect_uri', config.callbackUrl);
    server.control.addFault({ endpoint: 'authorize', status: 303, headers: { location: registered.href } });
    const passed = byId(await diagnose(config))['callback-registered']!;
    expect(passed).toMatchObject({ status: 'pass', message: 'The callback URL is accepted for web-app-id.' });
    expect(server.control.requests().filter((r) => r.endpoint === 'authorize')).toHaveLength(2);
    expect(server.control.requests().filter((r) => r.endpoint === 'token')).toHaveLength(0);
  });

  it('a second redirect (302 -> 302 -> an "Invalid redirect_uri" page) is a warning, never a pass', async () => {
    const { server, config } = await setup();
    const unregistered = unregisteredAuthorizeUrl(server.url);
    // The authorize request and the first redirect's target both redirect; the third hop would answer 400.
    server.control.addFault({
      endpoint: 'authorize',
      status: 302,
      times: 2,
      headers: { location: unregistered.href },
    });
    const check = byId(await diagnose(config))['callback-registered']!;
    expect(check).toEqual({
      id: 'callback-registered',
      status: 'warn',
      message: `The authorize endpoint redirected to ${server.url}, which redirected again (302): could not tell whether the callback URL is registered; open the authorize URL in a browser (e.g. 'aps-auth login --no-open') to see.`,
    });
    expect(server.control.requests().filter((r) => r.endpoint === 'authorize')).toHaveLength(2);
  });

  it('config: a .env server with an outside secret fails (as the commands refuse it)', async () => {
    const { config } = await setup();
    const fromDotenv = loaded({
      baseUrl: config.baseUrl,
      callbackUrl: config.callbackUrl,
      sources: { ...config.sources, baseUrl: 'dotenv', clientSecret: 'env' },
      dotenvPath: '/project/.env',
    });
    const report = await diagnose(fromDotenv);
    expect(report.ok).toBe(false);
    expect(byId(report).config).toMatchObject({
      status: 'fail',
      message: expect.stringContaining(
        `APS_BASE_URL (${config.baseUrl}) comes from /project/.env while the client secret comes from the environment: refused`,
      ),
    });
  });

  it('config: a saved secret withheld for another server is named, not called a public app', async () => {
    const { config } = await setup();
    const withheld = loaded({
      baseUrl: config.baseUrl,
      callbackUrl: config.callbackUrl,
      saved: { clientId: 'web-app-id', baseUrl: 'https://other.example', hasSecret: true },
    });
    Object.defineProperty(withheld, 'clientSecret', { value: undefined });
    const check = byId(await diagnose(withheld)).config!;
    expect(check).toEqual({
      id: 'config',
      status: 'warn',
      message: `Client id web-app-id from the environment; the client secret saved in profile "default" is for client id web-app-id at https://other.example, so it is not used for web-app-id at ${config.baseUrl}: set APS_CLIENT_SECRET if this app is confidential, or sign in again to save it.`,
    });
  });

  it('a corrupt saved profile (loadConfig corruptProfile: "report") is a failed config check naming the file', async () => {
    const { tempDir } = await import('./helpers.js');
    const { mkdir, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { loadConfig } = await import('../../src/node/index.js');
    const home = await tempDir();
    await mkdir(join(home, 'profiles'));
    const file = join(home, 'profiles', 'default.json');
    await writeFile(file, '{oops');
    const env = { APS_AUTH_HOME: home, APS_CLIENT_ID: 'web-app-id' };
    await expect(loadConfig({ env, cwd: home })).rejects.toMatchObject({ code: 'TOKEN_STORE_CORRUPT' });
    const config = await loadConfig({ env, cwd: home, corruptProfile: 'report' });
    expect(config.profileError).toMatchObject({ code: 'TOKEN_STORE_CORRUPT', path: file });
    const report = await diagnose({ ...config, baseUrl: 'http://127.0.0.1:1' });
    const check = byId(report).config!;
    expect(check.status).toBe('fail');
    expect(check.message).toBe(
      `The profile file ${file} is corrupt (not valid JSON): move it away or delete it, then sign in again.`,
    );
    // The other checks are not run on the defaults.
    expect(report.ok).toBe(false);
    expect(report.checks.slice(1)).toEqual(
      ['callback-url', 'port', 'server', 'clock', 'callback-registered', 'token-file'].map((id) => ({
        id,
        status: 'skip',
        message: 'Skipped: the profile could not be read.',
      })),
    );
  });

  it('an unknown client id fails', async () => {
    const { config } = await setup();
    const report = await diagnose({ ...config, clientId: 'nobody' });
    expect(byId(report)['callback-registered']).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('client id nobody'),
    });
  });

  it('a busy port fails, naming it', async () => {
    const { config, port } = await setup();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '::1', port }, resolve));
    try {
      const check = byId(await diagnose(config)).port!;
      expect(check.status).toBe('fail');
      expect(check.message).toContain(`Port ${port}`);
      expect(check.message).toContain('in use');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('an unreachable server fails; clock and registration are skipped', async () => {
    const port = await freePort();
    const report = await diagnose(loaded({ baseUrl: `http://127.0.0.1:${port}` }), { timeoutMs: 2_000 });
    const checks = byId(report);
    expect(checks.server).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('cannot be reached'),
    });
    expect(checks.server!.message).toContain('ECONNREFUSED');
    expect(checks.clock!.status).toBe('skip');
    expect(checks['callback-registered']!.status).toBe('skip');
    expect(report.ok).toBe(false);
  });

  it('clock skew: warn above 30 s, fail above 5 minutes (injected clock)', async () => {
    const { config } = await setup();
    const at = async (offsetMs: number) =>
      byId(await diagnose(config, { now: () => Date.now() + offsetMs })).clock!;
    expect((await at(5_000)).status).toBe('pass');
    const warn = await at(-90_000);
    expect(warn.status).toBe('warn');
    expect(warn.message).toMatch(/\d+ s behind the server's/);
    const fail = await at(10 * 60_000);
    expect(fail.status).toBe('fail');
    expect(fail.message).toMatch(/ahead of the server's.*NTP/);
  });

  it('the emulator clock does not move its Date header (so skew is tested with an injected clock)', async () => {
    const { server, config } = await setup();
    server.control.advanceClock(3600);
    expect(byId(await diagnose(config)).clock!.status).toBe('pass');
  });

  it('configuration and callback URL failures', async () => {
    const { config } = await setup();
    const none = await diagnose({ ...config, clientId: undefined });
    expect(byId(none).config).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('APS_CLIENT_ID'),
    });
    expect(byId(none)['callback-registered']!.status).toBe('skip');
    const publicApp = loaded({ callbackUrl: config.callbackUrl, baseUrl: config.baseUrl });
    Object.defineProperty(publicApp, 'clientSecret', { value: undefined });
    expect(byId(await diagnose(publicApp)).config!.message).toContain('public app');
    for (const [url, why] of [
      ['https://localhost:8080/cb', 'http'],
      ['http://example.com:8080/cb', 'this machine'],
      ['http://localhost/cb', 'explicit port from 1024 to 65535 (without one it is port 80'],
      ['http://localhost:80/cb', 'explicit port from 1024 to 65535'],
      ['http://localhost:0/cb', 'explicit port from 1024 to 65535, not 0'],
      ['http://localhost:99999/cb', 'explicit port from 1024 to 65535, not 99999'],
      ['http://localhost:8080/cb#x', 'fragment'],
      ['nope', 'not a valid URL'],
    ] as const) {
      const report = await diagnose({ ...config, callbackUrl: url });
      expect(byId(report)['callback-url'], url).toMatchObject({
        status: 'fail',
        message: expect.stringContaining(why),
      });
      expect(byId(report).port!.status).toBe('skip');
    }
  });

  it.each(['http://localhost:0/cb', 'http://localhost/cb', 'http://localhost:99999/cb'])(
    'login refuses %s with the same code and words as doctor',
    async (callbackUrl) => {
      const { config } = await setup();
      const report = await diagnose({ ...config, callbackUrl });
      const refused = await login({
        config: { clientId: 'web-app-id', baseUrl: config.baseUrl, redirectUri: callbackUrl },
        store: new MemoryTokenStore(),
        key: 'default',
        openUrl: false,
      }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'CALLBACK_URL_UNSUPPORTED' });
      expect(byId(report)['callback-url']).toEqual({
        id: 'callback-url',
        status: 'fail',
        message: (refused as Error).message,
      });
    },
  );

  it('a corrupt token file fails the token-file check, saying how to clear it', async () => {
    const { config } = await setup();
    const home = await tempDir();
    await mkdir(join(home, 'tokens'), { recursive: true, mode: 0o700 });
    const file = join(home, 'tokens', 'default.json');
    await writeFile(file, '{"token": ', { mode: 0o600 });
    const report = await diagnose({ ...config, home });
    expect(byId(report)['token-file']).toEqual({
      id: 'token-file',
      status: 'fail',
      message: `The token file ${file} is corrupt, so no command can use it. Clear it with 'aps-auth logout' (it moves the file aside, never deletes it), then sign in again with 'aps-auth login'.`,
    });
    expect(report.ok).toBe(false);
    // Saved and readable: a pass naming the profile.
    await new FileTokenStore({ home, clientId: 'web-app-id' }).save('default', {
      accessToken: 'a',
      tokenType: 'Bearer',
      expiresAt: Date.now() + 3_600_000,
      issuedAt: Date.now(),
      scopes: ['data:read'],
    });
    expect(byId(await diagnose({ ...config, home }))['token-file']).toMatchObject({
      status: 'pass',
      message: expect.stringContaining('A token is saved for profile "default"'),
    });
  });
});
