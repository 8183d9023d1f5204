import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FileTokenStore } from '../../src/node/index.js';
import { confidentialConfig, login, SECRET, start } from '../helpers.js';
import { bundleFixture, runNode, tempDir } from './helpers.js';

async function race(lifetime: number | undefined, processes = 8) {
  const server = await start(lifetime === undefined ? {} : { accessTokenLifetime: lifetime });
  const config = confidentialConfig(server, { now: () => server.control.now() });
  const { token } = await login(config);
  const home = await tempDir();
  const store = new FileTokenStore({ home, clientId: config.clientId, baseUrl: server.url });
  await store.save('default', token);
  const script = await bundleFixture('get-token');
  // Expire the token on the server's clock and in the children's.
  server.control.advanceClock(lifetime ?? 3600);
  server.control.clearRequests();
  const env = {
    APS_AUTH_HOME: home,
    APS_CLIENT_ID: config.clientId,
    APS_CLIENT_SECRET: SECRET,
    APS_BASE_URL: server.url,
    CLOCK_OFFSET_MS: String(server.control.now() - Date.now()),
  };
  const results = await Promise.all(Array.from({ length: processes }, () => runNode(script, env)));
  for (const r of results) expect(r.stderr, r.stderr).toBe('');
  expect(results.map((r) => r.code)).toEqual(Array(processes).fill(0));
  const printed = results.map((r) => JSON.parse(r.stdout) as { token: string; loaded: string[] });
  const refreshes = server.control.requests().filter((r) => r.grantType === 'refresh_token');
  const file = JSON.parse(await readFile(store.pathFor('default'), 'utf8'));
  return { token, printed, refreshes, file, server, env, script };
}

describe('the file store across processes', () => {
  it('8 processes on an expired token: one refresh request, all print the same new token', async () => {
    const { token, printed, refreshes, file } = await race(undefined);
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]).toMatchObject({ status: 200, clientAuth: 'basic' });
    const tokens = new Set(printed.map((p) => p.token));
    expect(tokens.size).toBe(1);
    const [fresh] = tokens;
    expect(fresh).not.toBe(token.accessToken);
    expect(file.token.accessToken).toBe(fresh);
    expect(file.token.refreshToken).not.toBe(token.refreshToken);
    // Those who refreshed or waited loaded the lock library; none needed the browser opener.
    expect(printed.some((p) => p.loaded.some((u) => u.includes('proper-lockfile')))).toBe(true);
    expect(printed.every((p) => !p.loaded.some((u) => /\/open\/index\.js$/.test(u)))).toBe(true);
  }, 60_000);

  it('the same with access tokens living 5 seconds (the lifetime-scaled margin)', async () => {
    const { printed, refreshes, file } = await race(5);
    expect(refreshes).toHaveLength(1);
    expect(new Set(printed.map((p) => p.token)).size).toBe(1);
    expect(file.token.accessToken).toBe(printed[0]!.token);
    expect(file.token.expiresAt - file.token.issuedAt).toBe(4_000);
  }, 60_000);

  it('a valid cached token (the CLI token path) loads neither proper-lockfile, open, node:crypto nor node:util', async () => {
    const { server, env, printed } = await race(undefined, 1);
    server.control.clearRequests();
    const script = await bundleFixture('token-path');
    const bundle = await readFile(script, 'utf8');
    const staticImports = [...bundle.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(staticImports.filter((s) => /crypto|util|proper-lockfile|open/.test(s ?? ''))).toEqual([]);
    const again = await runNode(script, env, await tempDir());
    expect(again.stderr).toBe('');
    const out = JSON.parse(again.stdout) as { token: string; loaded: string[] };
    expect(out.token).toBe(printed[0]!.token);
    expect(out.loaded.filter((u) => /proper-lockfile|open|crypto|util/.test(u))).toEqual([]);
    expect(server.control.requests()).toHaveLength(0);
  }, 60_000);
});
