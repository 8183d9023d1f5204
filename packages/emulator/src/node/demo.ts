import { createServer } from 'node:net';
import { type RunningEmulator, startEmulator } from './server.js';

/** The client id of every front end's demo (the emulator bin's own demo client has it too). */
export const DEMO_CLIENT_ID = 'aps-auth-demo';

export interface DemoEmulator {
  emulator: RunningEmulator;
  clientId: string;
  /** A loopback callback URL on a port free now, registered for the demo client. */
  callbackUrl: string;
}

/** A TCP port on the loopback interface that is free now (a demo's callback URL, the ports a demo prints). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The emulator a front end's demo signs in against: on 127.0.0.1 (a free port), auto-approve, and the demo client
 * (public: PKCE only) with a loopback callback URL on a free port, plus `redirectUris` (e.g. a relay's `/relay`).
 */
export async function startDemoEmulator(options: { redirectUris?: string[] } = {}): Promise<DemoEmulator> {
  const callbackUrl = `http://localhost:${await freeLoopbackPort()}/api/auth/callback`;
  const emulator = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    autoApprove: true,
    clients: [
      {
        clientId: DEMO_CLIENT_ID,
        redirectUris: [callbackUrl, ...(options.redirectUris ?? [])],
        name: 'aps-auth demo',
      },
    ],
  });
  return { emulator, clientId: DEMO_CLIENT_ID, callbackUrl };
}
