import { describe, expect, it } from 'vitest';
import { mainUsage } from '../src/commands.js';
import { main } from '../src/main.js';
import { captureIo, deps, runBin } from './helpers.js';

describe('aps-auth help', () => {
  it("'help <command>' prints that command's help, as '<command> --help' does", async () => {
    for (const verb of ['login', 'token', 'exec', 'two-legged']) {
      const viaHelp = captureIo();
      const viaFlag = captureIo();
      expect(await main(['help', verb], deps(viaHelp)), verb).toBe(0);
      expect(await main([verb, '--help'], deps(viaFlag)), verb).toBe(0);
      expect(viaHelp.out(), verb).toMatch(new RegExp(`^Usage: aps-auth ${verb}`));
      expect(viaHelp.out(), verb).toBe(viaFlag.out());
      expect(viaHelp.err(), verb).toBe('');
    }
  });

  it("bare 'help' prints the global help; an unknown topic is a usage error (exit 2)", async () => {
    const bare = captureIo();
    expect(await main(['help'], deps(bare))).toBe(0);
    expect(bare.out()).toBe(mainUsage());
    const unknown = captureIo();
    expect(await main(['help', 'bogus'], deps(unknown))).toBe(2);
    expect(unknown.out()).toBe('');
    expect(unknown.err()).toContain('unknown command "bogus"');
    const two = captureIo();
    expect(await main(['help', 'login', 'token'], deps(two))).toBe(2);
  });

  it("through the built bin: help login is login's help", async () => {
    const result = await runBin(['help', 'login'], { env: { PATH: process.env.PATH } });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Usage: aps-auth login/);
    expect(result.stdout).toContain('--timeout SEC');
  });
});
