import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyText } from '../src/clipboard.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A directory with an `xclip` that saves what it is given (or fails), standing in for the system's. */
async function fakeXclip(exitCode: number): Promise<{ dir: string; saved: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'aps-auth-tui-clip-'));
  dirs.push(dir);
  const saved = join(dir, 'clipboard.txt');
  await writeFile(join(dir, 'xclip'), `#!/bin/sh\ncat > '${saved}'\nexit ${exitCode}\n`);
  await chmod(join(dir, 'xclip'), 0o755);
  return { dir, saved };
}

describe('copying', () => {
  it('uses the system clipboard command when there is one, and says so', async () => {
    const { dir, saved } = await fakeXclip(0);
    const written: string[] = [];
    const result = await copyText('https://example.test/a?b=c', {
      env: { PATH: `${dir}:/usr/bin:/bin`, DISPLAY: ':0' },
      platform: 'linux',
      writeRaw: (data) => written.push(data),
    });
    expect(result).toEqual({ method: 'xclip', hint: 'copied with xclip' });
    expect(await readFile(saved, 'utf8')).toBe('https://example.test/a?b=c');
    expect(written).toEqual([]);
  });

  it('falls back to OSC 52 when the command fails, or over SSH, and the hint says which and names tmux', async () => {
    const { dir } = await fakeXclip(1);
    for (const env of [
      { PATH: `${dir}:/usr/bin:/bin`, DISPLAY: ':0' },
      { PATH: `${dir}:/usr/bin:/bin`, DISPLAY: ':0', SSH_CONNECTION: '10.0.0.1 5 10.0.0.2 22' },
    ]) {
      const written: string[] = [];
      const result = await copyText('token', {
        env,
        platform: 'linux',
        writeRaw: (data) => written.push(data),
      });
      expect(result.method).toBe('osc52');
      expect(result.hint).toContain('OSC 52');
      expect(result.hint).toContain('set-clipboard on');
      expect(written).toEqual(['\u001b]52;c;dG9rZW4=\u0007']);
    }
  });
});
