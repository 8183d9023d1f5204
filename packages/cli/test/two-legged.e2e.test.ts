import { describe, expect, it } from 'vitest';
import { PUBLIC_CLIENT_ID, runIn, useWorld } from './helpers.js';

// `aps-auth two-legged`: a client-credentials token (HTTP Basic client auth) on stdout, or a document with
// --json; without the client secret of a confidential app, exit 1 saying which variable to set.

const world = useWorld({ signedIn: true });
const run = (args: string[], env: Record<string, string | undefined> = {}) => runIn(world, args, env);
const tokenEntries = () =>
  world.emulator.control.requests().filter((r) => r.endpoint === 'token' && r.status !== 0);

describe('two-legged', () => {
  it('two-legged: a client-credentials token on stdout; --json', async () => {
    const result = await run(['two-legged', '--scopes', 'data:read bucket:read']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(tokenEntries().at(-1)).toMatchObject({
      grantType: 'client_credentials',
      clientAuth: 'basic',
      status: 200,
    });
    const json = JSON.parse((await run(['two-legged', '--scopes', 'data:read', '--json'])).stdout);
    expect(json).toMatchObject({ schemaVersion: 1, tokenType: 'Bearer', scopes: ['data:read'] });
  });

  it('two-legged without a secret: exit 1', async () => {
    // The public client: the profile's saved secret belongs to the other client id and is not used.
    const result = await run(['two-legged', '--scopes', 'data:read'], {
      APS_CLIENT_ID: PUBLIC_CLIENT_ID,
      APS_CLIENT_SECRET: undefined,
    });
    expect(result).toMatchObject({ code: 1, signal: null, stdout: '' });
    expect(result.stderr).toContain('A two-legged token needs the client secret of a confidential app');
    expect(result.stderr).toContain('set APS_CLIENT_SECRET');
  });
});
