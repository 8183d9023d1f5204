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

describe('runtime-agnostic by construction', () => {
  it('"." bundles for the browser with no Node built-in and no Node global', async () => {
    const { found, result } = await bundle('src/index.ts');
    expect(found).toEqual([]);
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/\bprocess\.|\bBuffer\.|require\(/);
    expect(Object.keys(result.metafile.inputs).some((p) => p.includes('node_modules/jose'))).toBe(false);
  });

  it('"./oidc" bundles for the browser with no Node built-in', async () => {
    const { found, result } = await bundle('src/oidc/index.ts');
    expect(found).toEqual([]);
    expect(result.errors).toEqual([]);
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
