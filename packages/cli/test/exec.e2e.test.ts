import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binLogin, createWorld, readTokenFile, runBin, type TestWorld } from './helpers.js';

// `exec` runs the command with APS_ACCESS_TOKEN, passes its exit code and its signals through, and never
// prints the token itself.

let world: TestWorld;
beforeAll(async () => {
  world = await createWorld();
  await binLogin(world);
});
afterAll(async () => {
  await world.close();
});

const node = process.execPath;
const execBin = (args: string[], extra: Parameters<typeof runBin>[1] | object = {}) =>
  runBin(['exec', '--', ...args], { env: world.env, cwd: world.cwd, ...extra });

describe('exec', () => {
  it('hands the command a valid access token in APS_ACCESS_TOKEN; prints nothing itself', async () => {
    const { token } = await readTokenFile(world.home);
    const result = await execBin([
      node,
      '-e',
      'process.stdout.write(process.env.APS_ACCESS_TOKEN ?? "none")',
    ]);
    expect(result).toEqual({ code: 0, signal: null, stdout: token.accessToken, stderr: '' });
  });

  it('passes stdin through and the exit code back', async () => {
    const result = await execBin(
      [
        node,
        '-e',
        'process.stdin.on("data", (d) => process.stdout.write(d)).on("end", () => process.exit(7))',
      ],
      { input: 'piped in' },
    );
    expect(result).toEqual({ code: 7, signal: null, stdout: 'piped in', stderr: '' });
  });

  it('dies of the same signal as the command', async () => {
    const result = await execBin([node, '-e', 'process.kill(process.pid, "SIGTERM")']);
    expect(result).toMatchObject({ code: null, signal: 'SIGTERM', stdout: '' });
  });

  it('forwards SIGTERM and SIGINT to the command, then exits with its code', async () => {
    for (const [signal, code] of [
      ['SIGTERM', 42],
      ['SIGINT', 43],
    ] as const) {
      const script = `process.on(${JSON.stringify(signal)}, () => process.exit(${code})); process.stdout.write("ready\\n"); setInterval(() => {}, 1000);`;
      const result = await execBin([node, '-e', script], {
        onSpawn: (child: import('node:child_process').ChildProcess) => {
          child.stdout!.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('ready')) child.kill(signal);
          });
        },
      });
      expect(result, signal).toEqual({ code, signal: null, stdout: 'ready\n', stderr: '' });
    }
  });

  it('a command that does not exist: exit 127', async () => {
    expect(await execBin(['/nonexistent/command'])).toEqual({
      code: 127,
      signal: null,
      stdout: '',
      stderr: 'aps-auth: command not found: /nonexistent/command\n',
    });
  });

  it('refreshes an expiring token before running the command', async () => {
    const { writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const file = await readTokenFile(world.home);
    const expiresAt = Date.now() - 1;
    file.token = { ...file.token, expiresAt, issuedAt: expiresAt - 3_600_000 };
    await writeFile(join(world.home, 'tokens', 'default.json'), JSON.stringify(file), { mode: 0o600 });
    const result = await execBin([node, '-e', 'process.stdout.write(process.env.APS_ACCESS_TOKEN)']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toBe(file.token.accessToken);
    expect(result.stdout).toBe((await readTokenFile(world.home)).token.accessToken);
  });
});
