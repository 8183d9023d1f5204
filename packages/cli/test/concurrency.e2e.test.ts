import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { binLogin, createWorld, readTokenFile, runBin, type TestWorld } from './helpers.js';

// 8 `aps-auth token` processes at once on an expired token: exactly one refresh request reaches the server,
// all 8 print the same new token, and the token file stays valid. Also with an access token that lives 5 s,
// where core's early-refresh margin is a tenth of the lifetime (0.4 s), not 5 minutes (waited for by polling
// the clock, not by a fixed sleep).

let world: TestWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function eightAtOnce(w: TestWorld, previous: string) {
  w.emulator.control.clearRequests();
  const results = await Promise.all(
    Array.from({ length: 8 }, () => runBin(['token'], { env: w.env, cwd: w.cwd })),
  );
  for (const result of results) {
    expect(result.code).toBe(0);
    // A process that waits on another's lock long enough says so (how long depends on the machine's load);
    // nothing else may reach stderr.
    for (const line of result.stderr.split('\n').filter((l) => l !== '')) {
      expect(line).toMatch(/^aps-auth: waiting for another aps-auth process \(lock /);
    }
  }
  const printed = new Set(results.map((r) => r.stdout));
  expect(printed.size).toBe(1);
  const token = [...printed][0]!.trim();
  expect(token).not.toBe(previous);
  const refreshes = w.emulator.control
    .requests()
    .filter((r) => r.endpoint === 'token' && r.grantType === 'refresh_token');
  expect(refreshes).toHaveLength(1);
  expect(refreshes[0]).toMatchObject({ status: 200 });
  const stored = await readTokenFile(w.home);
  expect(stored.schemaVersion).toBe(1);
  expect(stored.token.accessToken).toBe(token);
}

describe('8 concurrent token processes on an expired token', () => {
  it('one-hour tokens (the stored token made expired)', async () => {
    world = await createWorld();
    await binLogin(world);
    const path = join(world.home, 'tokens', 'default.json');
    const file = await readTokenFile(world.home);
    const expiresAt = Date.now() - 1000;
    file.token = { ...file.token, expiresAt, issuedAt: expiresAt - 3_600_000 };
    await writeFile(path, JSON.stringify(file), { mode: 0o600 });
    await eightAtOnce(world, file.token.accessToken);
  });

  it('5-second tokens (accessTokenLifetime: 5), waiting for real expiry', async () => {
    world = await createWorld({ accessTokenLifetime: 5 });
    await binLogin(world);
    const { token } = await readTokenFile(world.home);
    expect(token.expiresAt - token.issuedAt).toBe(4000);
    // The refreshed token lives an hour: the 8 processes may take as long as a loaded machine makes them without
    // the new token itself coming within its margin (which would be a second, legitimate refresh).
    world.emulator.control.setAccessTokenLifetime(3600);
    // Wait (polling, not a fixed sleep) until the token is within core's margin: a tenth of its lifetime.
    const margin = (token.expiresAt - token.issuedAt) / 10;
    await vi.waitFor(() => expect(Date.now()).toBeGreaterThanOrEqual(token.expiresAt - margin + 20), {
      timeout: 10_000,
      interval: 25,
    });
    await eightAtOnce(world, token.accessToken);
  });
});
