import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node/index.ts', bin: 'src/bin.ts' },
  format: 'esm',
  platform: 'node',
  target: 'node22',
  dts: true,
  fixedExtension: false,
  clean: true,
});
