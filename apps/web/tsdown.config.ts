import { defineConfig } from 'tsdown';

// The app (`.`, Web APIs only), its Node server (`./node`) and the bin. Core and the emulator stay
// dependencies (the emulator is loaded lazily, for the demo only).
export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node/index.ts', bin: 'src/bin.ts' },
  format: 'esm',
  platform: 'node',
  target: 'node22',
  dts: true,
  fixedExtension: false,
  clean: true,
});
