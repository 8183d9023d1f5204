import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

/**
 * The vitest settings every package shares. Tests write nothing inside the package (so turbo's cache stays
 * valid): vite's cache lives in the temporary directory. The only file written is the JSON report, a declared
 * turbo output that `scripts/test-summary.mjs` adds up into the closing "Tests: N passed, N failed" line.
 */
export function definePackageTestConfig(packageDir: string, overrides: ViteUserConfig = {}): ViteUserConfig {
  return mergeConfig(
    defineConfig({
      cacheDir: join(tmpdir(), `aps-auth-vite-cache-${basename(packageDir)}`),
      test: {
        include: ['test/**/*.test.ts'],
        setupFiles: [join(import.meta.dirname, 'vitest.setup.ts')],
        reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
        // Bounds against a hang, never speed checks: the suites spawn bins, emulators, Chromium and tmux, and a
        // loaded CI machine (turbo runs several suites at once on two cores) takes several times the usual time
        // (the emulator's default-limits test: 9 s alone, 17 s in CI). A package may set its own.
        testTimeout: 60_000,
        hookTimeout: 120_000,
      },
    }),
    overrides,
  );
}
