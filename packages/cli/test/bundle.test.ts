import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers.js';

// `aps-auth token` loads only its own code: the static import closure of the bin (what runs before a
// command's own chunk is imported) and of the token command hold no HTTP client, no server, no lock library,
// no browser opener, no JOSE and no emulator. Those live in chunks loaded on demand.

const dist = dirname(BIN);

async function closure(entry: string): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    const text = await readFile(join(dist, file), 'utf8');
    seen.set(file, text);
    for (const match of text.matchAll(/^import [^;]*?from "\.\/([^"]+)"/gm)) stack.push(match[1]!);
    for (const match of text.matchAll(/^import "\.\/([^"]+)"/gm)) stack.push(match[1]!);
  }
  return seen;
}

describe('the bundle', () => {
  it('has one chunk for the hot path, reached from the bin by one dynamic import', async () => {
    const bin = await readFile(BIN, 'utf8');
    const hot = [...bin.matchAll(/import\("\.\/([^"]+)"\)/g)].map((m) => m[1]!);
    expect(new Set(hot).size).toBe(1);
    expect(hot[0]).toMatch(/^_hot-/);
  });

  it('the token path loads no ky, http server, lock library, browser opener, jose or emulator', async () => {
    const bin = await readFile(BIN, 'utf8');
    const hot = /import\("\.\/([^"]+)"\)/.exec(bin)![1]!;
    const files = await closure(hot);
    const text = [...files.values()].join('\n');
    for (const forbidden of [
      'node:http',
      'node:net',
      'node:child_process',
      'node:readline',
      'ky/distribution',
      'proper-lockfile/',
      'graceful-fs',
      'open/index',
      'jose',
      'hono',
    ]) {
      expect(text.includes(forbidden), forbidden).toBe(false);
    }
    expect(files.size).toBeLessThanOrEqual(2); // the hot chunk and the bundler's runtime
  });

  it('the emulator is a chunk of its own', async () => {
    const names = await readdir(dist);
    const withHono = [];
    for (const name of names)
      if ((await readFile(join(dist, name), 'utf8')).includes('hono')) withHono.push(name);
    expect(withHono.length).toBeGreaterThan(0);
    expect(withHono.some((name) => name.startsWith('_hot-'))).toBe(false);
  });
});

describe('what `aps-auth token` loads at run time', () => {
  it('no stdio stream, no crypto, http, net, child_process, stream or util module', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { createWorld, binLogin, runBin } = await import('./helpers.js');
    const world = await createWorld();
    const dir = await mkdtemp(join(tmpdir(), 'aps-auth-cli-preload-'));
    try {
      await binLogin(world);
      // A preload that records which process.std* getters run and which built-ins load after it.
      const preload = join(dir, 'preload.mjs');
      await writeFile(
        preload,
        `const fs = process.getBuiltinModule('node:fs');
const touched = [];
for (const name of ['stdin', 'stdout', 'stderr']) {
  const desc = Object.getOwnPropertyDescriptor(process, name);
  Object.defineProperty(process, name, { configurable: true, enumerable: desc.enumerable,
    get() { touched.push(name); return desc.get.call(process); } });
}
const before = new Set(process.moduleLoadList);
process.on('exit', () => fs.writeSync(2, JSON.stringify({ touched,
  loaded: process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice(13)) }) + '\\n'));
`,
      );
      const result = await runBin(['token'], {
        env: { ...world.env, NODE_OPTIONS: `--import ${preload}` },
        cwd: world.cwd,
      });
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stderr.trim().split('\n').at(-1)!) as {
        touched: string[];
        loaded: string[];
      };
      expect(report.touched).toEqual([]);
      for (const name of ['crypto', 'http', 'net', 'child_process', 'stream', 'util', 'tty', 'readline']) {
        expect(report.loaded, name).not.toContain(name);
      }
    } finally {
      await world.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
