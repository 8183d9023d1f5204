import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: { index: 'src/index.ts', oidc: 'src/oidc/index.ts', node: 'src/node/index.ts' },
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  // Node's built-ins stay imports (only the ./node entry has any; the . entry must have none).
  deps: { neverBundle: [/^node:/] },
  dts: true,
  fixedExtension: false,
  clean: true,
  outputOptions: { chunkFileNames: '_shared-[hash].js' },
});
