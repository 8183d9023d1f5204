#!/usr/bin/env node
// Minified + gzipped size of @aps-auth/core's "." entry with all its dependencies, side by side with
// oauth4webapi and @aps_sdk/authentication bundled for the same job (authorize URL with PKCE, code
// exchange, refresh). esbuild: bundle, minify, ESM, browser platform (the Node platform for a bundle
// that cannot target the browser, which is then said). Run from the repo root after building core:
//   pnpm --filter @aps-auth/core build && node bench/core-size.mjs     (Node 22+, e.g. through pnpm)
// This is a benchmark, not a test: it prints figures and fails only if a bundle cannot be built.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const coreDir = join(here, '..', 'packages', 'core');
const requireFromCore = createRequire(join(coreDir, 'package.json'));
const { build } = await import(requireFromCore.resolve('esbuild'));
const coreDist = join(coreDir, 'dist', 'index.js');
if (!existsSync(coreDist)) {
  console.error('packages/core/dist/index.js is missing: run `pnpm --filter @aps-auth/core build` first.');
  process.exit(1);
}

const version = (name) => requireFromCore(`${name}/package.json`).version;
const entries = [
  { name: '@aps-auth/core (the job)', file: 'aps-auth-core.js', pkg: '@aps-auth/core', baseline: true },
  { name: '@aps-auth/core (whole "." entry)', file: 'aps-auth-core-all.js', pkg: '@aps-auth/core' },
  { name: 'oauth4webapi (the job)', file: 'oauth4webapi.js', pkg: 'oauth4webapi' },
  {
    name: '@aps_sdk/authentication (the job)',
    file: 'aps-sdk-authentication.js',
    pkg: '@aps_sdk/authentication',
  },
];

async function bundle(entry, platform) {
  const result = await build({
    entryPoints: [join(here, 'size-entries', entry.file)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
    nodePaths: [join(coreDir, 'node_modules')],
    alias: { '@aps-auth/core': coreDist },
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return result.outputFiles[0].contents;
}

const rows = [];
for (const entry of entries) {
  let platform = 'browser';
  let bytes;
  try {
    bytes = await bundle(entry, platform);
  } catch {
    platform = 'node';
    bytes = await bundle(entry, platform);
  }
  const pkgVersion =
    entry.pkg === '@aps-auth/core' ? requireFromCore('./package.json').version : version(entry.pkg);
  rows.push({
    ...entry,
    platform,
    version: pkgVersion,
    min: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
  });
}

const base = rows.find((r) => r.baseline);
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const table = rows.map((r) => ({
  bundle: `${r.name} ${r.version}`,
  platform: r.platform,
  'min bytes': r.min,
  'min+gzip bytes': r.gzip,
  'min+gzip': kb(r.gzip),
  'vs core (gzip)': `${(r.gzip / base.gzip).toFixed(2)}x`,
}));

const header = Object.keys(table[0]);
const widths = header.map((h) => Math.max(h.length, ...table.map((row) => String(row[h]).length)));
const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of table) console.log(line(header.map((h) => row[h])));
console.log(
  `\nesbuild ${requireFromCore('esbuild/package.json').version}, minify, ESM, gzip level 9; Node ${process.version}.`,
);
