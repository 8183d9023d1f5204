import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/app.js';
import { createCoreSession } from '../src/core-adapter.js';
import type { ProfileSession } from '../src/session.js';
import { createWorld, type World } from './helpers.js';

const worlds: World[] = [];
const mounted: { unmount(): void }[] = [];
afterEach(async () => {
  for (const instance of mounted.splice(0)) instance.unmount();
  await Promise.all(worlds.splice(0).map((world) => world.close()));
});

/**
 * The real adapter against the emulator, with a cancel from outside (as SIGINT) sent at a chosen sign-in event:
 * at `stored` the code exchange has already saved the token when the cancel arrives.
 */
async function cancelAt(eventType: 'stored' | 'waiting') {
  const world = await createWorld();
  worlds.push(world);
  const outside = new AbortController();
  const onDone = vi.fn<(code: number) => void>();
  const createSession = (profile: string | undefined): ProfileSession => {
    const session = createCoreSession({ profile, env: world.env, cwd: world.cwd });
    const signIn: ProfileSession['signIn'] = (options) =>
      session.signIn({
        ...options,
        onEvent: (event) => {
          options.onEvent(event);
          if (event.type === eventType) outside.abort();
        },
      });
    return {
      loadSetup: () => session.loadSetup(),
      validate: (input) => session.validate(input),
      signIn,
      status: (signal) => session.status(signal),
      refresh: () => session.refresh(),
      accessToken: () => session.accessToken(),
      downscopedToken: (scopes) => session.downscopedToken(scopes),
      signOut: () => session.signOut(),
      checkProfileName: (name) => session.checkProfileName(name),
      settle: () => session.settle(),
      listProfiles: () => session.listProfiles(),
    };
  };
  const instance = render(
    <App
      createSession={createSession}
      profile={undefined}
      now={Date.now}
      timeoutMs={20_000}
      manual={false}
      openBrowser={eventType === 'stored'}
      color={false}
      hyperlinks={false}
      copy={async () => ({ method: 'osc52', hint: 'copied' }) as never}
      openUrl={async () => {}}
      signal={outside.signal}
      onDone={onDone}
    />,
  );
  mounted.push(instance);
  await vi.waitFor(() => expect(instance.lastFrame()).toContain('Sign in ⏎'));
  // Enter until the sign-in starts (the screen's key handler is attached just after its first frame).
  await vi.waitFor(() => {
    if (instance.lastFrame()?.includes('Sign in ⏎')) instance.stdin.write('\r');
    expect(instance.lastFrame()).not.toContain('Sign in ⏎');
  });
  await vi.waitFor(() => expect(onDone).toHaveBeenCalled(), { timeout: 10_000 });
  const status = await createCoreSession({ env: world.env, cwd: world.cwd }).status();
  // Ink clears on exit: the summary is the last frame drawn.
  const frame = instance.frames.filter((f) => f.trim() !== '').at(-1) ?? '';
  return { frame, code: onDone.mock.calls[0]![0], status };
}

describe('cancelling a sign-in', () => {
  it('while waiting: exit 4 and "nothing was stored", and nothing is', async () => {
    const { frame, code, status } = await cancelAt('waiting');
    expect(code).toBe(4);
    expect(frame).toContain('Cancelled: nothing was stored.');
    expect(status.state).toBe('signed-out');
  });

  it('after the code exchange stored the token: the summary says it is stored (as it is)', async () => {
    const { frame, code, status } = await cancelAt('stored');
    expect(code).toBe(4);
    expect(status.state).toBe('valid');
    expect(frame).toContain('its token is stored (profile "default")');
    expect(frame).not.toContain('nothing was stored');
  });
});
