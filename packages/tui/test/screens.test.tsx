import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCoreSession } from '../src/core-adapter.js';
import type { SigningIn } from '../src/flow.js';
import { ErrorScreen } from '../src/screens/error-screen.js';
import { SetupScreen } from '../src/screens/setup-screen.js';
import { SignedInScreen } from '../src/screens/signed-in-screen.js';
import { SigningInScreen } from '../src/screens/signing-in-screen.js';
import type { Setup, SetupInput } from '../src/session.js';
import { signingInHandlers } from './helpers.js';

const ESC = '\u001b';
const DOWN = '\u001b[B';
const RIGHT = '\u001b[C';
// Core's validators, as the TUI uses them (no I/O: validation is synchronous).
const validate = createCoreSession({ env: {}, cwd: '/' }).validate;
const mounted: { unmount(): void }[] = [];
const mount = (tree: React.ReactElement) => {
  const instance = render(tree);
  mounted.push(instance);
  return instance;
};
afterEach(() => {
  for (const instance of mounted.splice(0)) instance.unmount();
});

const setup: Setup = {
  profile: 'work',
  clientId: { value: 'abc123', source: 'dotenv' },
  clientSecret: { present: true, source: 'profile' },
  callbackUrl: { value: 'http://localhost:8080/api/auth/callback', source: 'env' },
  scopes: { value: ['data:read', 'application:client:read'], source: 'default' },
  baseUrl: { value: 'https://developer.api.autodesk.com', source: 'default' },
  dotenvPath: '/repo/.env',
};

describe('set-up screen', () => {
  it('prefills each field and says where it came from, without ever showing the secret', async () => {
    const { lastFrame } = mount(
      <SetupScreen setup={setup} notice={null} validate={validate} onSubmit={() => {}} onCancel={() => {}} />,
    );
    await vi.waitFor(() => expect(lastFrame()).toContain('set up profile "work"'));
    const frame = lastFrame()!;
    expect(frame).toMatch(/Client id: abc123\s+from \/repo\/\.env/);
    expect(frame).toContain('configured, saved in profile "work" (type to replace)');
    expect(frame).toMatch(
      /Callback URL: http:\/\/localhost:8080\/api\/auth\/callback\s+from the environment/,
    );
    expect(frame).toContain('[x] data:read');
    expect(frame).toContain('[ ] data:write');
    expect(frame).toContain('More scopes: application:client:read');
  });

  it('masks a typed secret and hands it over on submit', async () => {
    const onSubmit = vi.fn<(input: SetupInput) => void>();
    const { lastFrame, stdin } = mount(
      <SetupScreen setup={setup} notice={null} validate={validate} onSubmit={onSubmit} onCancel={() => {}} />,
    );
    await vi.waitFor(() => expect(lastFrame()).toContain('Sign in ⏎'));
    // Focus starts on "Sign in" (everything is configured): two steps down wraps to the secret.
    stdin.write(DOWN);
    stdin.write(DOWN);
    await vi.waitFor(() => expect(lastFrame()).toContain('› Client secret'));
    stdin.write('s3cr3t-value');
    await vi.waitFor(() => expect(lastFrame()).toContain('••••••••••••'));
    expect(lastFrame()).not.toContain('s3cr3t');
    expect(lastFrame()).toContain('typed here (replaces the configured one)');
    for (let i = 0; i < 4; i++) stdin.write(DOWN); // callback URL, scopes, more scopes, Sign in
    await vi.waitFor(() => expect(lastFrame()).toContain('›  Sign in ⏎'));
    stdin.write('\r');
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]![0]).toEqual({
      clientId: 'abc123',
      clientSecret: 's3cr3t-value',
      callbackUrl: 'http://localhost:8080/api/auth/callback',
      scopes: ['data:read', 'application:client:read'],
    });
  });

  it('takes an Enter pressed before the terminal was in raw mode (a line feed) as Enter', async () => {
    const onSubmit = vi.fn<(input: SetupInput) => void>();
    const { lastFrame, stdin } = mount(
      <SetupScreen setup={setup} notice={null} validate={validate} onSubmit={onSubmit} onCancel={() => {}} />,
    );
    await vi.waitFor(() => expect(lastFrame()).toContain('›  Sign in ⏎'));
    stdin.write('\n'); // the line discipline turns Enter into a line feed until the TUI sets raw mode
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ clientId: 'abc123' });
  });

  it("shows core's message next to a field as it is typed, and will not sign in then", async () => {
    const onSubmit = vi.fn();
    const empty: Setup = { ...setup, clientId: { value: '', source: 'default' } };
    const { lastFrame, stdin } = mount(
      <SetupScreen setup={empty} notice={null} validate={validate} onSubmit={onSubmit} onCancel={() => {}} />,
    );
    await vi.waitFor(() => expect(lastFrame()).toContain('✗ clientId is required'));
    expect(lastFrame()).toContain('Sign in (fix the fields marked ✗)');
    stdin.write('\r'); // focus is on the empty client id: Enter moves on (to the secret), nothing is submitted
    stdin.write(DOWN); // callback URL
    await vi.waitFor(() => expect(lastFrame()).toContain('› Callback URL'));
    stdin.write('#frag');
    await vi.waitFor(() => expect(lastFrame()).toContain('✗ Callback URL must not contain a fragment (#).'));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('notes that a callback URL that is not loopback means the manual mode', async () => {
    const remote: Setup = {
      ...setup,
      callbackUrl: { value: 'https://app.example.com/callback', source: 'env' },
    };
    const { lastFrame } = mount(
      <SetupScreen
        setup={remote}
        notice={null}
        validate={validate}
        onSubmit={() => {}}
        onCancel={() => {}}
      />,
    );
    await vi.waitFor(() => expect(lastFrame()).toContain('! The callback URL'));
    expect(lastFrame()).toContain('must use http');
    expect(lastFrame()).toContain('Sign in ⏎');
  });

  it('toggles known scopes with the picker', async () => {
    const { lastFrame, stdin } = mount(
      <SetupScreen setup={setup} notice={null} validate={validate} onSubmit={() => {}} onCancel={() => {}} />,
    );
    await vi.waitFor(() => expect(lastFrame()).toContain('Sign in ⏎'));
    for (let i = 0; i < 4; i++) stdin.write(DOWN); // submit → clientId → secret → callback → scopes
    await vi.waitFor(() => expect(lastFrame()).toContain('Space toggles'));
    stdin.write(RIGHT);
    await vi.waitFor(() => expect(lastFrame()).toContain('Space toggles'));
    stdin.write(' ');
    await vi.waitFor(() => expect(lastFrame()).toContain('[x] data:write'));
    expect(lastFrame()).toContain('scopes: data:read data:write application:client:read · typed here');
  });

  it('Esc cancels', async () => {
    const onCancel = vi.fn();
    const { lastFrame, stdin } = mount(
      <SetupScreen setup={setup} notice={null} validate={validate} onSubmit={() => {}} onCancel={onCancel} />,
    );
    await vi.waitFor(() => expect(lastFrame()).toContain('Esc cancel'));
    stdin.write(ESC);
    await vi.waitFor(() => expect(onCancel).toHaveBeenCalled());
  });
});

const signingIn: SigningIn = {
  screen: 'signing-in',
  attempt: 1,
  input: { clientId: 'abc', callbackUrl: 'http://localhost:8080/cb', scopes: ['data:read'] },
  mode: 'browser',
  // In browser mode core hands out a one-time start link on the loopback listener.
  url: 'http://localhost:8080/cb/start?id=abc',
  startLink: true,
  startedAt: 0,
  timeoutMs: 300_000,
  phase: 'waiting',
  browser: 'opened',
  refusal: null,
};

describe('signing-in screen', () => {
  it('counts down to the timeout and offers o, c, s, m and Esc', async () => {
    const handlers = signingInHandlers();
    const { lastFrame, stdin } = mount(
      <SigningInScreen state={signingIn} profile="work" now={55_000} hint={null} {...handlers} />,
    );
    await vi.waitFor(() => expect(lastFrame()).toContain('time left: 4 min 05 s'));
    expect(lastFrame()).toContain('The browser was opened at it.');
    // The start link works on this machine only: another device needs the manual mode's URL.
    expect(lastFrame()).toMatch(/in a browser on this\s+machine \(on another device: m, then s/);
    for (const key of ['o', 'c', 's', 'm']) stdin.write(key);
    await vi.waitFor(() => expect(handlers.onManual).toHaveBeenCalled());
    expect(handlers.onOpen).toHaveBeenCalledTimes(1);
    expect(handlers.onCopy).toHaveBeenCalledTimes(1);
    expect(handlers.onShowQr).toHaveBeenCalledTimes(1);
    stdin.write('\u0003'); // Ctrl+C cancels too (it never just exits)
    await vi.waitFor(() => expect(handlers.onCancel).toHaveBeenCalled());
  });

  it('in manual mode, takes a pasted redirected URL (a paste types, it does not trigger keys)', async () => {
    const handlers = signingInHandlers();
    const { lastFrame, stdin } = mount(
      <SigningInScreen
        state={{
          ...signingIn,
          mode: 'manual',
          refusal: 'The pasted URL was refused: its state does not match.',
        }}
        profile="work"
        now={0}
        hint={null}
        {...handlers}
      />,
    );
    await vi.waitFor(() => expect(lastFrame()).toContain('Redirected URL:'));
    expect(lastFrame()).toContain('its state does not match');
    expect(lastFrame()).not.toContain('m paste');
    stdin.write('http://localhost:8080/cb?code=abc&state=xyz\r');
    await vi.waitFor(() =>
      expect(handlers.onPaste).toHaveBeenCalledWith('http://localhost:8080/cb?code=abc&state=xyz'),
    );
    expect(handlers.onCopy).not.toHaveBeenCalled();
  });
});

describe('signed-in screen', () => {
  it('shows who, scopes and both countdowns, and maps r c v l p q', async () => {
    const handlers = {
      onRefresh: vi.fn(),
      onCopyToken: vi.fn(),
      onViewerToken: vi.fn(),
      onSignOut: vi.fn(),
      onProfiles: vi.fn(),
      onQuit: vi.fn(),
    };
    const now = 1_000_000;
    const { lastFrame, stdin } = mount(
      <SignedInScreen
        profile="work"
        status={{
          state: 'valid',
          user: { name: 'Ada Lovelace', email: 'ada@example.com' },
          scopes: ['data:read', 'viewables:read'],
          accessExpiresAt: now + 59 * 60_000,
          refreshIssuedAt: now - 60_000,
          refreshLifetimeMs: 15 * 86_400_000,
        }}
        now={now}
        notice={null}
        busy={null}
        {...handlers}
      />,
    );
    await vi.waitFor(() => expect(lastFrame()).toContain('Signed in · profile "work"'));
    const frame = lastFrame()!;
    expect(frame).toContain('User: Ada Lovelace <ada@example.com>');
    expect(frame).toContain('Scopes: data:read viewables:read');
    expect(frame).toContain('Access token: expires in 59 min 00 s');
    expect(frame).toContain('Refresh token: issued 1 min 00 s ago, valid for about 14 d 23 h');
    for (const key of ['r', 'c', 'v', 'l', 'p', 'q']) stdin.write(key);
    await vi.waitFor(() => expect(handlers.onQuit).toHaveBeenCalled());
    for (const handler of Object.values(handlers)) expect(handler).toHaveBeenCalledTimes(1);
  });
});

describe('text from elsewhere', () => {
  it('never reaches the terminal with control characters (userinfo, scopes, a .env value)', async () => {
    const { lastFrame } = mount(
      <SignedInScreen
        profile="work"
        status={{
          state: 'valid',
          user: { name: 'Eve\u001b]52;c;ZXZpbA==\u0007', email: 'eve@example.com\u202e' },
          scopes: ['data:read\u001b[2J'],
          accessExpiresAt: 60_000,
          refreshIssuedAt: null,
          refreshLifetimeMs: 1,
        }}
        now={0}
        notice={null}
        busy={null}
        onRefresh={() => {}}
        onCopyToken={() => {}}
        onViewerToken={() => {}}
        onSignOut={() => {}}
        onProfiles={() => {}}
        onQuit={() => {}}
      />,
    );
    await vi.waitFor(() =>
      expect(lastFrame()).toContain('User: Eve\uFFFD]52;c;ZXZpbA==\uFFFD <eve@example.com\uFFFD>'),
    );
    expect(lastFrame()).toContain('Scopes: data:read\uFFFD[2J');
    expect(lastFrame()).not.toContain('\u001b]52');
    const dotenv: Setup = { ...setup, clientId: { value: 'abc\u001b[31m', source: 'dotenv' } };
    const setUp = mount(
      <SetupScreen
        setup={dotenv}
        notice={null}
        validate={validate}
        onSubmit={() => {}}
        onCancel={() => {}}
      />,
    );
    await vi.waitFor(() => expect(setUp.lastFrame()).toContain('Client id: abc\uFFFD[31m'));
  });
});

describe('error screen', () => {
  it("shows core's code, message and next step; r retries, q quits", async () => {
    const onRetry = vi.fn();
    const onQuit = vi.fn();
    const { lastFrame, stdin } = mount(
      <ErrorScreen
        error={{
          code: 'LOGIN_TIMEOUT',
          message: 'No sign-in callback arrived.',
          nextStep: 'Register it.',
          exitCode: 4,
        }}
        onRetry={onRetry}
        onQuit={onQuit}
      />,
    );
    await vi.waitFor(() => expect(lastFrame()).toContain('✗ LOGIN_TIMEOUT'));
    expect(lastFrame()).toContain('No sign-in callback arrived.');
    expect(lastFrame()).toContain('Next: Register it.');
    stdin.write('r');
    stdin.write('q');
    await vi.waitFor(() => expect(onQuit).toHaveBeenCalled());
    expect(onRetry).toHaveBeenCalledTimes(1);
  });
});
