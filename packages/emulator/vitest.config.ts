import { definePackageTestConfig } from '../../vitest.shared.js';

export default definePackageTestConfig(import.meta.dirname, {
  test: {
    // Real HTTP, child processes and a real browser: leave room on a loaded CI machine.
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
