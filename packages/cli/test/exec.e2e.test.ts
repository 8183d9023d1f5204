import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startGateProxy, waitForOutput } from '@aps-auth/test-utils';
import { describe, expect, it } from 'vitest';
import { binLogin, expireStoredToken, readTokenFile, runBin, SECRET, useWorld } from './helpers.js';

// `exec` runs the command with APS_ACCESS_TOKEN, passes its exit code and its signals through, and never
// prints the token itself.

const world = useWorld({ signedIn: true });

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
        onSpawn: (child: ChildProcess) => {
          child.stdout!.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('ready')) child.kill(signal);
          });
        },
      });
      expect(result, signal).toEqual({ code, signal: null, stdout: 'ready\n', stderr: '' });
    }
  });

  it('a command that does not exist: exit 127', async () => {
    const result = await execBin(['/nonexistent/command']);
    expect(result).toMatchObject({ code: 127, signal: null, stdout: '' });
    expect(result.stderr).toContain('command not found: /nonexistent/command');
  });

  it('refreshes an expiring token before running the command', async () => {
    const { file } = await expireStoredToken(world.home);
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
      onSpawn: (child: ChildProcess) => {
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
    // The refresh goes through a proxy that holds it at the server's door until aps-auth has said it lets the
    // refresh finish: in flight for exactly as long as the test needs, not for a fixed time.
    const proxy = await startGateProxy(world.emulator.url);
    try {
      const env = { ...world.env, APS_BASE_URL: proxy.url, APS_AUTH_PROFILE: 'inflight' };
      await binLogin({ ...world, env });
      const { file } = await expireStoredToken(world.home, 'inflight');
      world.emulator.control.clearRequests();
      const refresh = proxy.hold('/authentication/v2/token');
      const marker = join(world.root, 'cmd-ran');
      let signalled = false;
      const result = await execBin(
        [node, '-e', `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "ran")`],
        {
          env,
          onSpawn: (child: ChildProcess) => {
            // SIGTERM as soon as the refresh request has reached the proxy; let it go once aps-auth says it
            // waits for it.
            void refresh.arrived.then(() => {
              signalled = true;
              child.kill('SIGTERM');
            });
            void waitForOutput(child, /letting the refresh in flight finish/).then(() => refresh.release());
          },
        },
      );
      expect(signalled).toBe(true);
      expect(result).toMatchObject({ code: 4, signal: null, stdout: '' });
      // First what happens to the refresh in flight and how to quit at once, then that the command never ran.
      expect(result.stderr).toContain(
        'cancelled; letting the refresh in flight finish so that its new refresh token is saved (send the signal again to quit now).',
      );
      expect(result.stderr).toMatch(new RegExp(`\\naps-auth: cancelled before ${node} started\\.\\n$`));
      expect(existsSync(marker)).toBe(false);
      // The refresh was not abandoned: it reached the server once, and the rotated token is stored.
      expect(
        world.emulator.control
          .requests()
          .filter((r) => r.endpoint === 'token' && r.grantType === 'refresh_token'),
      ).toHaveLength(1);
      const after = await readTokenFile(world.home, 'inflight');
      expect(after.token.refreshToken).not.toBe(file.token.refreshToken);
      expect(after.token.expiresAt).toBeGreaterThan(Date.now());
    } finally {
      await proxy.close();
    }
  });
});
