import { definePackageTestConfig } from '../../vitest.shared.js';

// Real HTTP to the emulator and a real browser: leave room on a loaded machine.
export default definePackageTestConfig(import.meta.dirname, {
  test: { testTimeout: 20_000, hookTimeout: 60_000 },
});
