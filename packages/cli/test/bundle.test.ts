import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './helpers.js';

// `aps-auth token` loads only its own code: the modules of the chunks it loads are an exact, checked list
// (from the bundler's own record of which module went into which chunk); no HTTP client, no server, no lock
// library, no browser opener, no JOSE and no emulator. Those live in chunks loaded on demand.

const dist = dirname(BIN);

/** What the build says of each chunk: its file, the chunks it imports statically and dynamically, its modules. */
interface ChunkInfo {
  fileName: string;
  imports: string[];
  dynamicImports: string[];
  modules: string[];
}

const packages = join(dirname(BIN), '..', '..');
let chunks: ChunkInfo[];
let outDir: string;

// The CLI built again with its own config into a temporary directory, with a plugin that records which
// source modules went into which chunk (the bundler's own account, not file-name patterns).
beforeAll(async () => {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { build } = await import('tsdown');
  const { default: config } = (await import('../tsdown.config.js')) as { default: object };
  outDir = await mkdtemp(join(tmpdir(), 'aps-auth-cli-bundle-'));
  chunks = [];
  await build({
    ...config,
    config: false,
    cwd: join(packages, 'cli'),
    outDir,
    logLevel: 'silent',
    plugins: [
      {
        name: 'record-chunks',
        generateBundle(_options: unknown, bundle: Record<string, Record<string, unknown>>) {
          for (const output of Object.values(bundle)) {
            if (output.type !== 'chunk') continue;
            const modules = output.modules as Record<string, { renderedLength: number }>;
            chunks.push({
              fileName: output.fileName as string,
              imports: output.imports as string[],
              dynamicImports: output.dynamicImports as string[],
              modules: Object.entries(modules)
                .filter(([, module]) => module.renderedLength > 0)
                .map(([id]) => (id.startsWith(packages) ? relative(packages, id) : id)),
            });
          }
        },
      },
    ],
  } as unknown as Parameters<typeof build>[0]);
}, 60_000);

afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
});

/** The chunks `aps-auth token` loads: the bin, the chunks of the modules it imports on the way, statically. */
function tokenPathChunks(): ChunkInfo[] {
  const byFile = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  // bin.ts imports main.ts and io.ts dynamically; main.ts loads the token command (commands.ts) dynamically.
  const entries = ['cli/src/main.ts', 'cli/src/io.ts', 'cli/src/commands/token/index.ts'].map(
    (module) => chunks.find((chunk) => chunk.modules.includes(module))!.fileName,
  );
  const seen = new Set<string>();
  const stack = ['bin.js', ...entries];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file) || !byFile.has(file)) continue;
    seen.add(file);
    stack.push(...byFile.get(file)!.imports);
  }
  return [...seen].map((file) => byFile.get(file)!);
}

// Every source module `aps-auth token` loads with a valid cached token. A change here is on purpose or a
// regression: each module costs start-up time (the target is 1.2 x `node -e 0`, `pnpm bench:cli`). A module
// the token path needs that the hot chunk's pattern (tsdown.config.ts) misses lands in a chunk of its own:
// this list and the chunk count below then fail.
const TOKEN_PATH_MODULES = [
  '\0rolldown/runtime.js',
  'cli/package.json',
  'cli/src/args.ts',
  'cli/src/bin.ts',
  'cli/src/commands.ts',
  'cli/src/commands/token/index.ts',
  'cli/src/commands/token/parse.ts',
  'cli/src/commands/token/run.ts',
  'cli/src/context.ts',
  'cli/src/errors.ts',
  'cli/src/exit-codes.ts',
  'cli/src/io.ts',
  'cli/src/main.ts',
  'cli/src/output.ts',
  'cli/src/terminal-text.ts',
  'cli/src/version.ts',
  'core/src/config.ts',
  'core/src/errors/aborted-error.ts',
  'core/src/errors/aps-auth-error.ts',
  'core/src/errors/configuration-error.ts',
  'core/src/errors/guards.ts',
  'core/src/errors/sign-in-required-error.ts',
  'core/src/errors/token-other-client-error.ts',
  'core/src/errors/token-store-error.ts',
  'core/src/inputs/base-url.ts',
  'core/src/inputs/callback-url.ts',
  'core/src/inputs/http-url.ts',
  'core/src/inputs/input-label.ts',
  'core/src/inputs/profile-name.ts',
  'core/src/inputs/scopes.ts',
  'core/src/node/atomic-file.ts',
  'core/src/node/config-inputs.ts',
  'core/src/node/config-layers.ts',
  'core/src/node/dotenv-rules.ts',
  'core/src/node/dotenv.ts',
  'core/src/node/file-lock.ts',
  'core/src/node/file-token-store.ts',
  'core/src/node/load-config.ts',
  'core/src/node/optional-peer.ts',
  'core/src/node/private-path.ts',
  'core/src/node/profiles.ts',
  'core/src/node/session/context.ts',
  'core/src/node/session/open-profile.ts',
  'core/src/node/session/token-state.ts',
  'core/src/scopes.ts',
  'core/src/token.ts',
];

describe('the bundle', () => {
  it('aps-auth token loads exactly the expected source modules', () => {
    const modules = tokenPathChunks()
      .flatMap((chunk) => chunk.modules)
      .sort();
    expect(modules).toEqual([...TOKEN_PATH_MODULES].sort());
  });

  it('in three files: the bin, one hot chunk (reached by one dynamic import) and the bundler runtime', () => {
    const files = tokenPathChunks().map((chunk) => chunk.fileName);
    expect(files).toHaveLength(3);
    const bin = chunks.find((chunk) => chunk.fileName === 'bin.js')!;
    expect(bin.imports).toEqual([]);
    expect(bin.dynamicImports).toHaveLength(1);
    expect(bin.dynamicImports[0]).toMatch(/^_hot-/);
  });

  it('the token path imports no ky, http server, lock library, browser opener, jose or emulator', () => {
    const modules = tokenPathChunks().flatMap((chunk) => chunk.modules);
    const builtins = tokenPathChunks().flatMap((chunk) => chunk.imports.filter((i) => i.startsWith('node:')));
    for (const forbidden of ['node_modules', 'emulator/', 'core/src/node/login', 'loopback']) {
      expect(
        modules.filter((module) => module.includes(forbidden)),
        forbidden,
      ).toEqual([]);
    }
    for (const forbidden of ['node:http', 'node:net', 'node:child_process', 'node:readline', 'node:util']) {
      expect(builtins, forbidden).not.toContain(forbidden);
    }
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
