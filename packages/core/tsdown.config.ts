import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: { index: 'src/index.ts', oidc: 'src/oidc/index.ts', node: 'src/node/index.ts' },
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  fixedExtension: false,
  clean: true,
  outputOptions: { chunkFileNames: '_shared-[hash].js' },
});
