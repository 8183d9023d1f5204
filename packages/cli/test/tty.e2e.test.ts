import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, runBin, useWorld } from './helpers.js';

// The spinner and the aligned tables appear on a terminal only: the bin runs in a real pseudo-terminal
// (util-linux `script`), and the same commands in pipes show neither.

// Signed in from the start: each test runs alone too (`-t`), not only after the login test.
const world = useWorld({ signedIn: true });

const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * Runs the bin in a pseudo-terminal; stdout and stderr arrive merged, as a terminal shows them. `onOutput`
 * may type into the terminal (`type('\x03')` is Ctrl+C).
 */
function inTerminal(
  args: string[],
  onOutput?: (output: string, type: (keys: string) => void) => void,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const command = `exec ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { ...world.env, SHELL: '/bin/sh', TERM: 'xterm' },
      cwd: world.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      onOutput?.(output, (keys) => child.stdin.write(keys));
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

// util-linux `script` gives the bin a real pseudo-terminal; without it (not Linux) these two tests are skipped.
const hasScript = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!hasScript)('on a terminal', () => {
  it('login draws a spinner on stderr and ends with a check mark', async () => {
    const { code, output } = await inTerminal(['login']);
    expect(code).toBe(0);
    expect(output).toContain('\r\x1b[2K⠋ Listening for the callback on ');
    expect(output).toContain(
      '\r\x1b[2K✓ Signed in as Ada Lovelace <ada.lovelace@example.com> (profile "default")',
    );
    // The status on stdout is aligned for people.
    expect(output).toMatch(/profile: {3}default\r\nsigned in: yes\r\nuser: {6}Ada Lovelace/);
  });

  it('status and profiles print aligned tables with headers', async () => {
    expect((await inTerminal(['status'])).output).toMatch(/^profile: {3}default\r\n/);
    const profiles = await inTerminal(['profiles']);
    expect(profiles.output).toMatch(
      /^ {2}PROFILE +CLIENT ID +SERVER +SIGNED IN +EXPIRES\r\n\* default +cli-test-client /,
    );
  });
});

describe.skipIf(!hasScript)('exec on a terminal', () => {
  it('Ctrl+C reaches the command once (the terminal delivers it; aps-auth does not forward it again)', async () => {
    // The command counts the SIGINTs it gets up to a barrier, not for a fixed time: on the first one it sends
    // SIGUSR2 to aps-auth (its parent), which forwards it back only after handling the terminal's SIGINT (a
    // process handles its signals in the order they came), so a SIGINT aps-auth sent on would arrive first.
    // On SIGUSR2 the command exits with 10 + the count.
    const script =
      'let n = 0; process.on("SIGUSR2", () => process.exit(10 + n));' +
      ' process.on("SIGINT", () => { n++; if (n === 1) process.kill(process.ppid, "SIGUSR2"); });' +
      ' process.stdout.write("ready\\n"); setInterval(() => {}, 1000);';
    let typed = false;
    const { code } = await inTerminal(['exec', '--', process.execPath, '-e', script], (output, type) => {
      if (!typed && output.includes('ready')) {
        typed = true;
        type('\x03');
      }
    });
    expect(code).toBe(11);
  });
});

describe('in a pipe', () => {
  it('login prints plain lines, no escape sequences', async () => {
    const result = await runBin(['login'], { env: world.env, cwd: world.cwd });
    expect(result.code).toBe(0);
    const all = `${result.stdout}${result.stderr}`;
    for (const mark of ['\r', '\x1b', '⠋', '✓']) expect(all.includes(mark), JSON.stringify(mark)).toBe(false);
  });
});
