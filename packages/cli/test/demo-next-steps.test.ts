import { describe, expect, it } from 'vitest';
import { nextSteps } from '../src/demo.js';

// The demo's next steps work as printed: the defaults where they are free, free ports where they are not.

const clone = { npm_package_name: 'aps-auth-monorepo' };

describe('the next steps the demo prints', () => {
  it('with the default ports free: the emulator as it starts by default and the demo client it registers', () => {
    const lines = nextSteps(clone);
    expect(lines).toContain('  npm run emulator    # in another terminal; leave it running');
    expect(lines).toContain(
      '  export APS_BASE_URL=http://127.0.0.1:9400 APS_CLIENT_ID=aps-auth-demo APS_CLIENT_SECRET=aps-auth-demo-secret',
    );
    expect(lines.join('\n')).not.toContain('in use here');
  });

  it('with 9400 in use: the emulator on the free port given, and APS_BASE_URL naming it', () => {
    const lines = nextSteps({}, { emulator: 41000, callback: 8080 });
    expect(lines).toContain('(port 9400 is in use here: the lines below use free ones)');
    expect(lines).toContain(
      '  npx @aps-auth/emulator --port 41000    # in another terminal; leave it running',
    );
    expect(lines).toContain(
      '  export APS_BASE_URL=http://127.0.0.1:41000 APS_CLIENT_ID=aps-auth-demo APS_CLIENT_SECRET=aps-auth-demo-secret',
    );
  });

  it('with 8080 in use: the emulator registers the demo client with a free callback port, and the CLI uses it', () => {
    const lines = nextSteps(clone, { emulator: 9400, callback: 41001 });
    expect(lines).toContain('(port 8080 is in use here: the lines below use free ones)');
    expect(lines).toContain(
      '  npm run emulator -- --client aps-auth-demo:aps-auth-demo-secret=http://localhost:41001/api/auth/callback    # in another terminal; leave it running',
    );
    expect(lines).toContain(
      '  export APS_BASE_URL=http://127.0.0.1:9400 APS_CLIENT_ID=aps-auth-demo APS_CLIENT_SECRET=aps-auth-demo-secret APS_CALLBACK_URL=http://localhost:41001/api/auth/callback',
    );
    // Signing in to APS itself still names the callback URL to register there.
    expect(lines).toContain(
      'http://localhost:8080/api/auth/callback, then (in a new terminal, without the lines above):',
    );
  });
});
