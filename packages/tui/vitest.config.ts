import { definePackageTestConfig } from '../../vitest.shared.js';

// The e2e tests drive the built bin in tmux against a real emulator: allow them more than the default 5 s.
export default definePackageTestConfig(import.meta.dirname, {
  test: { include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], testTimeout: 30_000, hookTimeout: 30_000 },
});
