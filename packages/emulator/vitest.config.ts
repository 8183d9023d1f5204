import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests write nothing inside the package (turbo's cache stays valid): vite's cache and the consent-page
// screenshot live in the temporary directory.
export default defineConfig({
  cacheDir: join(tmpdir(), 'aps-auth-emulator-vite-cache'),
  test: {
    include: ['test/**/*.test.ts'],
    // Real HTTP, child processes and a real browser: leave room on a loaded CI machine.
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
