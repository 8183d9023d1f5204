import { fileURLToPath } from 'node:url';
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
  // Core from its sources, so the bundler keeps only the modules a command uses (core's dist is a few large
  // chunks: the token path would parse ky, the loopback server and the login flow for nothing).
  alias: {
    '@aps-auth/core/node': fileURLToPath(new URL('../core/src/node/index.ts', import.meta.url)),
    '@aps-auth/core': fileURLToPath(new URL('../core/src/index.ts', import.meta.url)),
    // The demo's emulator from its sources too: the bin never depends on the emulator having been built.
    '@aps-auth/emulator/node': fileURLToPath(new URL('../emulator/src/node/index.ts', import.meta.url)),
  },
  outputOptions: {
    chunkFileNames: '_[name]-[hash].js',
    // Everything `aps-auth token` runs with a valid cached token, in one file: each extra file and module
    // costs start-up time (the target is 1.2 x `node -e 0`). The pattern only groups; what the token path
    // loads is checked by test/bundle.test.ts against an exact list of modules, from the bundler's own record.
    codeSplitting: {
      groups: [
        {
          name: 'hot',
          test: /(rolldown\/runtime|cli\/src\/(main|io|errors|exit-codes|args|output|context|commands|version)\.ts|cli\/src\/commands\/token\/|cli\/package\.json|core\/src\/(node\/(load-config|file-token-store|atomic-file|profiles|profile-name|file-lock|dotenv|dotenv-rules|config-inputs|config-layers|session\/(open-profile|context|token-state))|inputs\/[a-z-]+|token|config|errors\/(aps-auth-error|configuration-error|token-store-error|sign-in-required-error|token-other-client-error|guards))\.ts)/,
        },
        {
          // Everything a login loads after the hot chunk, in one file.
          name: 'login',
          test: /(cli\/src\/(commands\/login\/|login-events|fetch-browser|progress|read-line|status-report)|core\/src\/(node\/(login|loopback-server|callback-page)|create-authorization-request|exchange-code|parse-callback|constant-time|pkce|random|scopes|token-request|response|transport|client-auth|userinfo)\.ts|\/ky\/)/,
        },
      ],
    },
  },
});
