import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsdown';

// One bin, bundled with every dependency (start-up reads few files); the Ink app is a chunk loaded only when
// there is a terminal, so `--help`, `--version` and the no-terminal refusal start fast.
export default defineConfig({
  entry: { bin: 'src/bin.ts' },
  format: 'esm',
  platform: 'node',
  target: 'node22',
  dts: false,
  fixedExtension: false,
  clean: true,
  deps: { alwaysBundle: [/.*/] },
  // Core from its sources, so the bundle keeps only the modules the TUI uses.
  alias: {
    '@aps-auth/core/node': fileURLToPath(new URL('../core/src/node/index.ts', import.meta.url)),
    '@aps-auth/core': fileURLToPath(new URL('../core/src/index.ts', import.meta.url)),
  },
  define: { 'process.env.NODE_ENV': '"production"' },
  outputOptions: { chunkFileNames: '_[name]-[hash].js' },
});
