import { expect, test } from 'vitest';
import { x } from '../src/index.js';

test('smoke', () => {
  expect(x).toBe(1);
  expect(process.version).toMatch(/^v24/);
});
