import { definePackageTestConfig } from '../../vitest.shared.js';

// The e2e tests spawn the built bin against a real emulator: allow them more than the default 5 s.
export default definePackageTestConfig(import.meta.dirname, {
  test: { testTimeout: 30_000, hookTimeout: 30_000 },
});
