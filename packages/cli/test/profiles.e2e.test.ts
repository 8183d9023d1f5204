import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIn, useWorld } from './helpers.js';

// `aps-auth profiles`: a line per saved profile in a pipe, one document with --json, never a secret; a corrupt
// profile file is listed (flagged), and `doctor` fails its config check naming the file.

const world = useWorld({ signedIn: true });
const run = (args: string[], env: Record<string, string | undefined> = {}) => runIn(world, args, env);

describe('profiles', () => {
  it('profiles: a line per profile in a pipe, a document with --json; no secret', async () => {
    const plain = await run(['profiles']);
    expect(plain.stdout).toMatch(
      new RegExp(`^default\\tcli-test-client\\t${world.emulator.url}\\tyes\\t\\S+Z\\tcurrent\\n$`),
    );
    const json = JSON.parse((await run(['profiles', '--json'])).stdout);
    expect(json).toEqual({
      schemaVersion: 1,
      home: world.home,
      current: 'default',
      profiles: [
        {
          name: 'default',
          current: true,
          clientId: 'cli-test-client',
          baseUrl: world.emulator.url,
          signedIn: true,
          corrupt: false,
          expiresAt: expect.any(String),
        },
      ],
    });
  });
});

describe('corrupt profile files', () => {
  it('profiles still lists (corrupt flagged); doctor fails its config check naming the file', async () => {
    const home = join(world.root, 'corrupt-home');
    await mkdir(join(home, 'profiles'), { recursive: true, mode: 0o700 });
    const file = join(home, 'profiles', 'bad.json');
    await writeFile(file, '{oops', { mode: 0o600 });
    const env = { APS_AUTH_HOME: home, APS_AUTH_PROFILE: 'bad' };
    const json = await run(['profiles', '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      schemaVersion: 1,
      home,
      current: 'bad',
      profiles: [
        {
          name: 'bad',
          current: true,
          clientId: null,
          baseUrl: null,
          signedIn: false,
          corrupt: true,
          expiresAt: null,
        },
      ],
    });
    expect(await run(['profiles'], env)).toMatchObject({
      code: 0,
      stdout: 'bad\t\t\tcorrupt\t\tcurrent\n',
    });

    const doctor = await run(['doctor', '--json'], env);
    expect(doctor.code).toBe(1);
    const config = JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'config');
    expect(config).toEqual({
      id: 'config',
      status: 'fail',
      message: `The profile file ${file} is corrupt (not valid JSON): move it away or delete it, then sign in again.`,
    });
    expect(await readFile(file, 'utf8')).toBe('{oops');
  });
});
