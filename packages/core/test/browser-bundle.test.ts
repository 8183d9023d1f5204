import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Records every import of a Node built-in (and keeps it external so the build reports them all). */
function nodeBuiltins(found: string[]): Plugin {
  return {
    name: 'node-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.path.startsWith('node:') || builtins.has(args.path)) {
          found.push(`${args.path} (from ${args.importer.replace(root, '')})`);
          return { path: args.path, external: true };
        }
        return undefined;
      });
    },
  };
}

async function bundle(entry: string) {
  const found: string[] = [];
  const result = await build({
    entryPoints: [`${root}/${entry}`],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    minify: true,
    logLevel: 'silent',
    metafile: true,
    plugins: [nodeBuiltins(found)],
  });
  return { found, result };
}

/**
 * A Node global or built-in reached without an import: `process`, `Buffer`, `getBuiltinModule`, a
 * `'node:…'` specifier (e.g. `globalThis.process?.getBuiltinModule?.('node:crypto')`, which passes tsc and
 * biome), or `require(`. Checked on minified bundles, which hold no comments.
 */
const NODE_REACH = /\bprocess\b|\bBuffer\b|getBuiltinModule|["']node:|\brequire\(/;

function nodeReach(code: string): string | undefined {
  const match = NODE_REACH.exec(code);
  return match ? code.slice(Math.max(0, match.index - 80), match.index + 60) : undefined;
}

describe('runtime-agnostic by construction', () => {
  it('"." bundles for the browser with no Node built-in and no Node global', async () => {
    const { found, result } = await bundle('src/index.ts');
    expect(found).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(nodeReach(result.outputFiles[0]!.text)).toBeUndefined();
    expect(Object.keys(result.metafile.inputs).some((p) => p.includes('node_modules/jose'))).toBe(false);
  });

  it.each(['dist/index.js', 'dist/oidc.js'])(
    'the built %s (when built) bundles with no Node reach',
    async (file) => {
      if (!existsSync(`${root}/${file}`)) return;
      const { found, result } = await bundle(file);
      expect(found).toEqual([]);
      expect(result.errors).toEqual([]);
      expect(nodeReach(result.outputFiles[0]!.text)).toBeUndefined();
    },
  );

  it('the Node reach check catches a built-in reached through globalThis', async () => {
    const { outputFiles } = await build({
      stdin: {
        contents:
          "export const c = globalThis.process?.getBuiltinModule?.('node:crypto'); export const b = globalThis.Buffer;",
      },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      minify: true,
      logLevel: 'silent',
    });
    expect(nodeReach(outputFiles[0]!.text)).toBeDefined();
    for (const contents of ["globalThis['getBuiltinModule']", 'globalThis.Buffer', "import('node:fs')"]) {
      expect(nodeReach(contents), contents).toBeDefined();
    }
  });

  it('"./oidc" bundles for the browser with no Node built-in', async () => {
    const { found, result } = await bundle('src/oidc/index.ts');
    expect(found).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(nodeReach(result.outputFiles[0]!.text)).toBeUndefined();
  });

  it('the detector would catch a Node built-in', async () => {
    const found: string[] = [];
    await build({
      stdin: {
        contents: "import { readFile } from 'node:fs'; import path from 'path'; console.log(readFile, path);",
      },
      bundle: true,
      platform: 'browser',
      write: false,
      logLevel: 'silent',
      plugins: [nodeBuiltins(found)],
    });
    expect(found).toHaveLength(2);
  });
});
