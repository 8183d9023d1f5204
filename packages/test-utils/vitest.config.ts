import { definePackageTestConfig } from '../../vitest.shared.js';

export default definePackageTestConfig(import.meta.dirname, {
  test: {
    // A real browser start on a loaded CI machine.
    testTimeout: 30_000,
  },
});
