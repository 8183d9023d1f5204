import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin, runIn, useWorld } from './helpers.js';

// Each input is checked by core's one validator and named as the user knows it: the variable, its value and
// where it was set, or the flag; never core's internal name (`redirectUri`).

const world = useWorld();

describe('a bad setting is named as the user knows it', () => {
  it('APS_CALLBACK_URL from a .env: its value and the file, not redirectUri (exit 1, nothing sent)', async () => {
    await writeFile(join(world.cwd, '.env'), 'APS_CALLBACK_URL="http://localhost:8080/cb#frag"\n');
    try {
      const result = await runBin(['login'], {
        env: { ...world.env, APS_CALLBACK_URL: undefined },
        cwd: world.cwd,
      });
      expect(result.code).toBe(1);
      // The variable, its value, where it was set, and what is wrong with it.
      expect(result.stderr).toContain(
        `APS_CALLBACK_URL "http://localhost:8080/cb#frag" (from ${join(world.cwd, '.env')}) must not contain a fragment (#).`,
      );
      expect(result.stderr).not.toContain('redirectUri');
      expect(world.emulator.control.requests()).toEqual([]);
    } finally {
      await writeFile(join(world.cwd, '.env'), '');
    }
  });

  it('a plain-http server that is not loopback is refused unless APS_AUTH_ALLOW_HTTP=1 (environment only)', async () => {
    const env = { ...world.env, APS_BASE_URL: 'http://0.0.0.0:9' };
    const refused = await runBin(['two-legged', '--scopes', 'data:read'], { env, cwd: world.cwd });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('APS_BASE_URL "http://0.0.0.0:9" (from the environment) must use https');
    expect(refused.stderr).toContain('APS_AUTH_ALLOW_HTTP=1');
    // Allowed, the request is made (and fails: nothing listens there): a network error, exit 5.
    const allowed = await runBin(['two-legged', '--scopes', 'data:read'], {
      env: { ...env, APS_AUTH_ALLOW_HTTP: '1' },
      cwd: world.cwd,
    });
    expect(allowed.code).toBe(5);
    // A .env cannot allow it.
    await writeFile(join(world.cwd, '.env'), 'APS_AUTH_ALLOW_HTTP=1\n');
    try {
      expect((await runBin(['two-legged', '--scopes', 'data:read'], { env, cwd: world.cwd })).code).toBe(1);
    } finally {
      await writeFile(join(world.cwd, '.env'), '');
    }
  });
});

describe('an invalid profile name from APS_AUTH_PROFILE', () => {
  it('says where it came from; doctor --json still prints its document (exit 1)', async () => {
    const rule =
      'Invalid profile name "../x": use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit.';
    const token = await runIn(world, ['token'], { APS_AUTH_PROFILE: '../x' });
    expect(token).toMatchObject({ code: 1, signal: null, stdout: '' });
    // The variable and its source first, then core's message naming the value and the rule.
    expect(token.stderr).toContain(`APS_AUTH_PROFILE (from the environment): ${rule}`);
    const project = join(world.root, 'badprofile-project');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, '.env'), 'APS_AUTH_PROFILE=../x\n');
    const doctor = await runIn(world, ['doctor', '--json'], {}, { cwd: project });
    expect(doctor.code).toBe(1);
    const document = JSON.parse(doctor.stdout);
    expect(document).toMatchObject({ schemaVersion: 1, ok: false, profile: null });
    expect(document.checks[0]).toEqual({
      id: 'config',
      status: 'fail',
      message: `APS_AUTH_PROFILE (from ${join(project, '.env')}): ${rule}`,
    });
    expect(document.checks.slice(1).map((c: { status: string }) => c.status)).toEqual([
      'skip',
      'skip',
      'skip',
      'skip',
      'skip',
      'skip',
    ]);
  });
});
