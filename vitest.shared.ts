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
      },
    }),
    overrides,
  );
}
