import { definePackageTestConfig } from '../../vitest.shared.js';

// Browser tests launch Chromium and node tests start child processes and emulators: allow them more than the
// default 5 s on a busy 2-core machine (a cap on a hung test, never a timing assertion).
export default definePackageTestConfig(import.meta.dirname, {
  test: { testTimeout: 30_000, hookTimeout: 60_000 },
});
