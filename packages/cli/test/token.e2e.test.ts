import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTokenFile, runIn, useWorld } from './helpers.js';

// `aps-auth token` once signed in: the stored access token and nothing else on stdout, a document with
// --json, a down-scoped token with --scopes, a saved profile enough to find it, a corrupt file never replaced.

const world = useWorld({ signedIn: true });
const run = (args: string[], env: Record<string, string | undefined> = {}) => runIn(world, args, env);

describe('token, signed in', () => {
  it('token: only the stored access token on stdout, no request to the server', async () => {
    const before = world.emulator.control.requests().length;
    const stored = await readTokenFile(world.home);
    expect(await run(['token'])).toEqual({
      code: 0,
      signal: null,
      stdout: `${stored.token.accessToken}\n`,
      stderr: '',
    });
    expect(world.emulator.control.requests().length).toBe(before);
  });

  it('token --json: one document', async () => {
    const stored = await readTokenFile(world.home);
    const result = await run(['token', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      schemaVersion: 1,
      profile: 'default',
      accessToken: stored.token.accessToken,
      tokenType: 'Bearer',
      expiresAt: new Date(stored.token.expiresAt).toISOString(),
      expiresIn: expect.any(Number),
      scopes: ['data:read', 'viewables:read'],
    });
  });

  it('token --scopes: a down-scoped token, the stored grant keeps its scopes', async () => {
    const result = await run(['token', '--scopes', 'viewables:read']);
    expect(result.code).toBe(0);
    const claims = JSON.parse(Buffer.from(result.stdout.trim().split('.')[1]!, 'base64url').toString()) as {
      scope: string[];
    };
    expect(claims.scope).toEqual(['viewables:read']);
    expect((await readTokenFile(world.home)).token.scopes).toEqual(['data:read', 'viewables:read']);
  });

  it('a profile saved at login is enough: token works with only APS_AUTH_HOME', async () => {
    const result = await run(['token'], {
      APS_CLIENT_ID: undefined,
      APS_CLIENT_SECRET: undefined,
      APS_BASE_URL: undefined,
      APS_CALLBACK_URL: undefined,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${(await readTokenFile(world.home)).token.accessToken}\n`);
  });

  it('a corrupt token file: exit 1 with the next step, never replaced by token', async () => {
    const path = join(world.home, 'tokens', 'broken.json');
    await writeFile(path, '{not json', { mode: 0o600 });
    const result = await run(['token', '--profile', 'broken']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`The token file ${path} is corrupt`);
    expect(await readFile(path, 'utf8')).toBe('{not json');
  });
});
