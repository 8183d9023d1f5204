import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runChild, waitForOutput } from '../src/index.js';

const node = process.execPath;
const env = { PATH: process.env.PATH };

describe('runChild', () => {
  it('collects the exit code, stdout and stderr; writes input to stdin; inherits no environment', async () => {
    const script =
      'process.stdin.setEncoding("utf8").on("data", (d) => process.stdout.write(d.toUpperCase()));' +
      ' process.stdin.on("end", () => { process.stderr.write(String(process.env.HOME)); process.exit(3); });';
    expect(
      await runChild(node, ['-e', script], { env: { ...env, HOME: undefined }, input: 'piped' }),
    ).toEqual({
      code: 3,
      signal: null,
      stdout: 'PIPED',
      stderr: 'undefined',
    });
  });

  it('reports a signal; onSpawn sees the child', async () => {
    const result = await runChild(
      node,
      ['-e', 'process.stdout.write("up\\n"); setInterval(() => {}, 1000)'],
      {
        env,
        stdin: 'ignore',
        onSpawn: (child) => {
          void waitForOutput(child, /^up$/m, 'stdout').then(() => child.kill('SIGTERM'));
        },
      },
    );
    expect(result).toEqual({ code: null, signal: 'SIGTERM', stdout: 'up\n', stderr: '' });
  });
});

describe('waitForOutput', () => {
  it('resolves with the match across chunks; rejects when the child ends without it', async () => {
    const child = spawn(node, [
      '-e',
      'process.stderr.write("wai"); setTimeout(() => process.stderr.write("ting 42\\n"), 10)',
    ]);
    const match = await waitForOutput(child, /waiting (\d+)/);
    expect(match[1]).toBe('42');
    const quiet = spawn(node, ['-e', 'process.stderr.write("something else")']);
    await expect(waitForOutput(quiet, /waiting/)).rejects.toThrow(/ended before its stderr showed/);
  });
});
