import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests write nothing inside the package: even vite's cache lives in the temporary directory.
export default defineConfig({
  cacheDir: join(tmpdir(), 'aps-auth-core-vite-cache'),
  test: { include: ['test/**/*.test.ts'] },
});
