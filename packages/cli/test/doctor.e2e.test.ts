import { describe, expect, it } from 'vitest';
import { runIn, useWorld } from './helpers.js';

// `aps-auth doctor`: every check passes (exit 0) with a registered callback URL whose port is free; a failed
// check is exit 1 and names what to fix.

const world = useWorld({ signedIn: true });
const run = (args: string[]) => runIn(world, args);

describe('doctor', () => {
  it('passes with a registered callback URL whose port is free', async () => {
    const result = await run(['doctor', '--json']);
    const report = JSON.parse(result.stdout);
    expect(result.code).toBe(0);
    expect(report).toMatchObject({ schemaVersion: 1, ok: true, profile: 'default' });
    expect(report.checks.map((c: { id: string }) => c.id)).toEqual([
      'config',
      'callback-url',
      'port',
      'server',
      'clock',
      'callback-registered',
      'token-file',
    ]);
  });

  it('fails (exit 1) with an unregistered callback URL, naming the URL to register', async () => {
    const other = 'http://localhost:8765/not/registered';
    const result = await run(['doctor', '--callback-url', other]);
    expect(result.code).toBe(1);
    const line = result.stdout.split('\n').find((l) => l.includes('callback-registered'));
    expect(line).toMatch(/^fail\tcallback-registered\t.*http:\/\/localhost:8765\/not\/registered/);
    expect(result.stderr).toContain('doctor found a problem; see the failed checks above.');
  });
});
