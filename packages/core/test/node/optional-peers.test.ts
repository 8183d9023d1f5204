import { cp, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, runChild } from '@aps-auth/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `open` and `proper-lockfile` are optional peer dependencies: a user of `@aps-auth/core` who never opens a
// browser or locks a file store (a browser, an edge worker) installs neither. Here the built package is
// installed as such a user has it, with its dependencies (ky, jose) and without the peers: every entry
// loads, and the two features that need a peer fail with a ConfigurationError that names it.

const core = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'aps-auth-core-peers-'));
  const installed = join(root, 'node_modules', '@aps-auth', 'core');
  await mkdir(installed, { recursive: true });
  await cp(join(core, 'dist'), join(installed, 'dist'), { recursive: true });
  await cp(join(core, 'package.json'), join(installed, 'package.json'));
  const manifest = JSON.parse(await readFile(join(core, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    peerDependenciesMeta: Record<string, { optional?: boolean }>;
  };
  expect(Object.keys(manifest.dependencies).sort()).toEqual(['jose', 'ky']);
  for (const name of Object.keys(manifest.dependencies)) {
    await symlink(await realpath(join(core, 'node_modules', name)), join(root, 'node_modules', name));
  }
  expect(manifest.peerDependenciesMeta).toEqual({
    open: { optional: true },
    'proper-lockfile': { optional: true },
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function runScript(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = join(root, `script-${Math.random().toString(36).slice(2)}.mjs`);
  return writeFile(file, source).then(() =>
    runChild(process.execPath, [file], { cwd: root, env: { PATH: process.env.PATH ?? '' } }),
  );
}

describe('open and proper-lockfile are optional peers', () => {
  it('every entry loads without them; . builds an authorize URL', async () => {
    const result = await runScript(`
      const core = await import('@aps-auth/core');
      await import('@aps-auth/core/oidc');
      await import('@aps-auth/core/node');
      const request = await core.createAuthorizationRequest({ clientId: 'c', redirectUri: 'http://localhost:8080/cb', scopes: 'data:read' });
      process.stdout.write(new URL(request.url).pathname);
    `);
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, stdout: '/authentication/v2/authorize' });
  });

  it('the file store lock and the browser opener fail with a ConfigurationError naming the package', async () => {
    const port = await freePort();
    const result = await runScript(`
      const { FileTokenStore, login } = await import('@aps-auth/core/node');
      const out = {};
      const describe = (e) => ({ name: e.name, code: e.code, field: e.field, message: e.message });
      const store = new FileTokenStore({ home: ${JSON.stringify(join(root, 'home'))} });
      try {
        await store.lock('default', async () => 'ran');
        out.lock = 'ran';
      } catch (error) {
        out.lock = describe(error);
      }
      const controller = new AbortController();
      await login({
        config: { clientId: 'c', baseUrl: 'http://127.0.0.1:9', redirectUri: 'http://localhost:${port}/cb', scopes: 'data:read' },
        store,
        key: 'default',
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'browser-failed') {
            out.open = event.message;
            controller.abort();
          }
        },
      }).catch((error) => { out.login = error.code; });
      process.stdout.write(JSON.stringify(out));
    `);
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout) as { lock: Record<string, string>; open: string; login: string };
    expect(out.lock).toMatchObject({
      name: 'ConfigurationError',
      code: 'CONFIGURATION_ERROR',
      field: 'proper-lockfile',
    });
    expect(out.lock.message).toContain('npm install proper-lockfile@^4.1.2');
    expect(out.open).toContain('needs the package "open"');
    expect(out.open).toContain('npm install open@^11.0.0');
    expect(out.login).toBe('ABORTED');
  });
});
