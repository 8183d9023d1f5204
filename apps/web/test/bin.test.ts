import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'dist', 'bin.js');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? null), stdout, stderr });
    });
  });
}

// Flags are answered before anything is started: `--version` must never bind a port or start the demo.
describe('the aps-auth-web bin', () => {
  it('--version prints the package version and exits 0', async () => {
    const { version } = JSON.parse(await readFile(join(import.meta.dirname, '..', 'package.json'), 'utf8'));
    const result = await run(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help names the configuration variables and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: aps-auth-web');
    expect(result.stdout).toContain('SESSION_SECRET');
    expect(result.stderr).toBe('');
  });

  it('an unknown argument is a usage error (exit 2) that names it', async () => {
    const result = await run(['--port', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown argument "--port"');
  });
});
