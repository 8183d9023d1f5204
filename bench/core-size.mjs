#!/usr/bin/env node
// Minified + gzipped size of @aps-auth/core's "." entry with all its dependencies, side by side with
// oauth4webapi and @aps_sdk/authentication bundled for the same job (authorize URL with PKCE, code
// exchange, refresh). esbuild: bundle, minify, ESM, browser platform (the Node platform for a bundle
// that cannot target the browser, which is then said). Run from the repo root after building core:
//   pnpm --filter @aps-auth/core build && node bench/core-size.mjs [--json]    (Node 22+, e.g. through pnpm;
//   --json: one JSON object on stdout, for npm run bench)
// It also checks core's size budget: core's whole "." entry with its dependencies, min+gzip, must stay within
// CORE_GZIP_BUDGET (it exits 1 past it); the figure is split into core's own code and ky's share.
// CI runs the same check through packages/packaging-check (test/size-budget.test.ts).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * The budget of core's whole "." entry bundled with its dependencies, min+gzip bytes: about 10% above the
 * figure when it was set (21,403 bytes on 2026-12-04 at main c151ca2, core 0.0.0 with ky 2.1.0). Raise it
 * only on purpose, in the same change as the code that needs it, and say why.
 */
export const CORE_GZIP_BUDGET = 23_500;

const here = dirname(fileURLToPath(import.meta.url));
const coreDir = join(here, '..', 'packages', 'core');
const requireFromCore = createRequire(join(coreDir, 'package.json'));
const { build } = await import(requireFromCore.resolve('esbuild'));
const coreDist = join(coreDir, 'dist', 'index.js');
const CORE_ALL = 'aps-auth-core-all.js';

function requireCoreBuilt() {
  if (!existsSync(coreDist)) {
    throw new Error(
      'packages/core/dist/index.js is missing: run `pnpm --filter @aps-auth/core build` first.',
    );
  }
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

async function bundle(entry, platform, external = []) {
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
    external,
  });
  return result.outputFiles[0].contents;
}

const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;

/**
 * Core's whole "." entry as a browser bundle with its dependencies (min+gzip bytes), and the same bundle with
 * ky left out: core's own code; ky's share is the difference.
 */
export async function measureCoreEntry() {
  requireCoreBuilt();
  const entry = { file: CORE_ALL };
  const whole = await bundle(entry, 'browser');
  const own = await bundle(entry, 'browser', ['ky']);
  const gzip = gzipSize(whole);
  const ownGzip = gzipSize(own);
  return {
    min: whole.length,
    gzip,
    ownMin: own.length,
    ownGzip,
    kyMin: whole.length - own.length,
    kyGzip: gzip - ownGzip,
    kyVersion: JSON.parse(readFileSync(join(coreDir, 'node_modules', 'ky', 'package.json'), 'utf8')).version,
  };
}

/** The budget's verdict on a measure: `ok`, and one line that says the figures either way. */
export function checkCoreBudget(measure, budget = CORE_GZIP_BUDGET) {
  const share = (part) => `${((part / measure.gzip) * 100).toFixed(0)}%`;
  const figures =
    `core's "." entry with its dependencies: ${measure.gzip} bytes min+gzip (budget ${budget}, ` +
    `${((measure.gzip / budget) * 100).toFixed(0)}% used): core's own code ${measure.ownGzip} (${share(measure.ownGzip)}), ` +
    `ky ${measure.kyVersion} ${measure.kyGzip} (${share(measure.kyGzip)})`;
  if (measure.gzip <= budget) return { ok: true, message: figures };
  return {
    ok: false,
    message: `${figures}: over the budget by ${measure.gzip - budget} bytes. Make core smaller, or raise CORE_GZIP_BUDGET in bench/core-size.mjs on purpose and say why.`,
  };
}

async function main() {
  requireCoreBuilt();

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
  if (process.argv.includes('--json')) {
    const measure = await measureCoreEntry();
    const verdict = checkCoreBudget(measure);
    const json = rows.map(({ name, version: v, platform, min, gzip }) => ({
      name,
      version: v,
      platform,
      min,
      gzip,
    }));
    console.log(
      JSON.stringify({ rows: json, entry: measure, budget: CORE_GZIP_BUDGET, withinBudget: verdict.ok }),
    );
    if (!verdict.ok) process.exitCode = 1;
    return;
  }
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
  const verdict = checkCoreBudget(await measureCoreEntry());
  console.log(`\nSize budget: ${verdict.message}`);
  if (!verdict.ok) process.exitCode = 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
