import { type RunningEmulator, startEmulator } from '@aps-auth/emulator/node';
import { startRelay as startRelayApp } from '@aps-auth/test-utils';
import { afterEach } from 'vitest';

export const TERMINAL_CLIENT = 'terminal-app-id';
export interface RunningRelay {
  /** The web app's origin, `http://127.0.0.1:PORT`. */
  url: string;
  emu: RunningEmulator;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/**
 * The web app on a free port with the emulator (auto-approve) whose terminal client has the relay's `/relay`
 * registered as a callback URL.
 */
export async function startRelay(options: { relayTtlSeconds?: number } = {}): Promise<RunningRelay> {
  const relay = await startRelayApp(startEmulator, TERMINAL_CLIENT, options);
  closers.push(() => relay.close());
  return { url: relay.url, emu: relay.emu };
}

/** The terminal's configuration (a public client; its callback URL is the relay's). */
export function terminalConfig(relay: RunningRelay) {
  return {
    clientId: TERMINAL_CLIENT,
    baseUrl: relay.emu.url,
    scopes: ['data:read'],
  };
}
