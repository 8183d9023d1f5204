import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binLogin, createWorld, readTokenFile, runBin, SECRET, type TestWorld } from './helpers.js';

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

  it('keeps the client secret (every APS_CLIENT_* but APS_CLIENT_ID) from the command', async () => {
    const script =
      'process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.toUpperCase().startsWith("APS_")))))';
    const result = await execBin([node, '-e', script], {
      env: { ...world.env, APS_CLIENT_ASSERTION: 'a-client-assertion', aps_client_secret: 'lower' },
    });
    expect(result.stderr).toBe('');
    const seen = JSON.parse(result.stdout) as Record<string, string>;
    expect(seen.APS_CLIENT_ID).toBe(world.env.APS_CLIENT_ID);
    expect(seen.APS_ACCESS_TOKEN).toMatch(/^ey/);
    expect(Object.keys(seen).filter((k) => /^aps_client_/i.test(k))).toEqual(['APS_CLIENT_ID']);
    expect(result.stdout).not.toContain(SECRET);
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

  it('SIGUSR1, SIGUSR2 and SIGQUIT go to the command; SIGUSR1 never opens the inspector in aps-auth', async () => {
    const script = `
      const got = [];
      for (const name of ["SIGUSR1", "SIGUSR2", "SIGQUIT"]) {
        process.on(name, () => {
          got.push(name);
          process.stdout.write(name + "\\n");
          if (got.length === 3) process.exit(9);
        });
      }
      process.stdout.write("ready\\n");
      setInterval(() => {}, 1000);`;
    const result = await execBin([node, '-e', script], {
      onSpawn: (child: import('node:child_process').ChildProcess) => {
        // One signal at a time: the next once the command has printed that it got the previous one.
        const signals = ['SIGUSR1', 'SIGUSR2', 'SIGQUIT'] as const;
        let seen = '';
        let sent = 0;
        child.stdout!.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          const lines = seen.split('\n').length - 1;
          if (lines === sent + 1 && sent < signals.length) child.kill(signals[sent++]!);
        });
      },
    });
    expect(result).toEqual({
      code: 9,
      signal: null,
      stdout: 'ready\nSIGUSR1\nSIGUSR2\nSIGQUIT\n',
      stderr: '',
    });
  });

  it('a signal while the refresh is in flight: CMD never starts, exit 4; the refreshed token is still saved', async () => {
    const { writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const file = await readTokenFile(world.home);
    const expiresAt = Date.now() - 1;
    file.token = { ...file.token, expiresAt, issuedAt: expiresAt - 3_600_000 };
    await writeFile(join(world.home, 'tokens', 'default.json'), JSON.stringify(file), { mode: 0o600 });
    world.emulator.control.clearRequests();
    world.emulator.control.addFault({ endpoint: 'token', delayMs: 1500 });
    const marker = join(world.root, 'cmd-ran');
    let signalled = false;
    const result = await execBin(
      [node, '-e', `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "ran")`],
      {
        onSpawn: (child: import('node:child_process').ChildProcess) => {
          // SIGTERM as soon as the refresh request has reached the (delaying) server.
          const poll = setInterval(() => {
            if (world.emulator.control.requests().some((r) => r.endpoint === 'token')) {
              clearInterval(poll);
              signalled = true;
              child.kill('SIGTERM');
            }
          }, 5);
          child.once('exit', () => clearInterval(poll));
        },
      },
    );
    expect(signalled).toBe(true);
    expect(result).toEqual({
      code: 4,
      signal: null,
      stdout: '',
      stderr:
        'aps-auth: cancelled; letting the refresh in flight finish so that its new refresh token is saved (send the signal again to quit now).\n' +
        `aps-auth: cancelled before ${node} started.\n`,
    });
    const { existsSync } = await import('node:fs');
    expect(existsSync(marker)).toBe(false);
    // The refresh was not abandoned: the rotated token is stored.
    const after = await readTokenFile(world.home);
    expect(after.token.refreshToken).not.toBe(file.token.refreshToken);
    expect(after.token.expiresAt).toBeGreaterThan(Date.now());
  });
});
