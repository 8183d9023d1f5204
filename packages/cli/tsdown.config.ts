import { defineConfig } from 'tsdown';

// One bin, bundled with every dependency (start-up reads few files), split per command: `aps-auth token`
// loads the dispatcher and the token command's chunk only; the embedded emulator is a chunk of its own.
export default defineConfig({
  entry: { bin: 'src/bin.ts' },
  format: 'esm',
  platform: 'node',
  target: 'node22',
  dts: false,
  fixedExtension: false,
  clean: true,
  deps: { alwaysBundle: [/.*/] },
  outputOptions: { chunkFileNames: '_[name]-[hash].js' },
});
