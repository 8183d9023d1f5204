import { definePackageTestConfig } from '../../vitest.shared.js';

export default definePackageTestConfig(import.meta.dirname, {
  test: { include: ['test/**/*.test.ts', 'test/**/*.test.tsx'] },
});
