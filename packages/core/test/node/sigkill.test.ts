import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileTokenStore } from '../../src/node/index.js';
import { bundleFixture, tempDir } from './helpers.js';

/**
 * Starts the save loop and kills it with SIGKILL `delayMs` after its `saves`-th completed save, i.e. at a random
 * point of a later save (reading, writing the temporary file, fsync, rename).
 */
function killAfter(script: string, home: string, saves: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, APS_AUTH_HOME: home },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let seen = 0;
    let armed = false;
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      seen += lines.length;
      if (seen >= saves && !armed) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(seen) : reject(new Error(`exited ${signal}`)),
    );
  });
}

describe('SIGKILL in the middle of saving', () => {
  it('never leaves an empty or corrupt file: the last good token survives (30 kills)', async () => {
    const home = await tempDir();
    const script = await bundleFixture('save-loop');
    const store = new FileTokenStore({ home, clientId: 'loop', baseUrl: 'http://x' });
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    let leftovers = 0;
    for (let round = 0; round < 30; round++) {
      await killAfter(script, home, 1 + Math.floor(random() * 3), random() * 12);
      const text = await readFile(store.pathFor('default'), 'utf8');
      expect(text.length).toBeGreaterThan(256 * 1024);
      const token = await store.load('default');
      expect(token?.accessToken).toMatch(/^child-\d+-\d+-x{262144}$/);
      expect(token?.refreshToken).toBe(
        `refresh-${token?.accessToken.split('-')[1]}-${token?.accessToken.split('-')[2]}`,
      );
      if ((await readdir(join(home, 'tokens'))).some((n) => n.endsWith('.tmp'))) leftovers++;
    }
    console.info(
      `sigkill: 30 kills, ${leftovers} of them left an abandoned temporary file (killed mid-write)`,
    );
    // The next save cleans abandoned temporary files of dead writers.
    await store.save('default', { ...(await store.load('default'))!, accessToken: 'final' });
    expect((await readdir(join(home, 'tokens'))).sort()).toEqual(['default.json']);
    expect((await store.load('default'))?.accessToken).toBe('final');
  }, 120_000);
});
