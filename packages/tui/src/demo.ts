import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCredentials, loadConfig } from '@aps-auth/core/node';
import { DEMO_CLIENT_ID, startDemoEmulator } from '@aps-auth/emulator/node';

export const DEMO_BANNER =
  '[local emulator] no APS credentials configured: a demo against a local APS emulator (nothing is kept); ' +
  'set APS_CLIENT_ID to sign in to APS';

export interface Demo {
  /** The TUI's environment for the demo: the emulator, its demo client, a temporary home. */
  env: Record<string, string | undefined>;
  /** The temporary home (also the working directory: no `.env` of the user's is read). */
  home: string;
  banner: string;
  /** Stops the emulator and removes the temporary home: the demo leaves nothing behind. */
  close(): Promise<void>;
}

/**
 * `--demo` (`npm start`): when no client id is configured (flags aside: environment, `.env`, saved profile),
 * the emulator in this process (loaded only now; auto-approve, a public demo client) and a temporary home, so
 * that every screen can be tried without an APS app. `undefined` when a client id is configured: the real
 * sign-in then runs.
 */
export async function startDemo(
  env: Record<string, string | undefined>,
  cwd: string,
  profile: string | undefined,
  /** `--relay`: the relay's origin, whose `/relay` the demo's client also has registered. */
  relay?: string | undefined,
): Promise<Demo | undefined> {
  const config = await loadConfig({ flags: { profile }, env, cwd, corruptProfile: 'report' });
  if (hasCredentials(config)) return undefined;
  const home = await mkdtemp(join(tmpdir(), 'aps-auth-tui-demo-'));
  try {
    const { emulator, callbackUrl } = await startDemoEmulator({
      redirectUris: relay === undefined ? [] : [`${relay}/relay`],
    });
    const demoEnv: Record<string, string | undefined> = {
      ...withoutApsVariables(env),
      APS_AUTH_HOME: home,
      APS_CLIENT_ID: DEMO_CLIENT_ID,
      APS_BASE_URL: emulator.url,
      APS_CALLBACK_URL: callbackUrl,
      APS_SCOPES: 'data:read viewables:read user-profile:read',
      // The emulator approves at once: the sign-in link is followed with fetch (no browser needed, SSH too).
      APS_AUTH_BROWSER: 'fetch',
    };
    return {
      env: demoEnv,
      home,
      banner: DEMO_BANNER,
      async close() {
        await emulator.close();
        await rm(home, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(home, { recursive: true, force: true });
    throw error;
  }
}

/** The environment without the user's APS settings (the demo must not mix them with the emulator's). */
function withoutApsVariables(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('APS_')));
}
