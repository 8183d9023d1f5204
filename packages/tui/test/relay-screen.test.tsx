import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '@aps-auth/emulator/node';
import { startRelay } from '@aps-auth/test-utils';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/app.js';
import { createCoreSession } from '../src/core-adapter.js';
import type { SigningIn } from '../src/flow.js';
import { relayUrlBlock } from '../src/hooks/use-url-printer.js';
import { withoutListenerNote } from '../src/listener-note.js';
import { SetupScreen } from '../src/screens/setup-screen.js';
import { SigningInScreen } from '../src/screens/signing-in-screen.js';
import type { Setup } from '../src/session.js';
import { signingInHandlers } from './helpers.js';

const TERMINAL_CLIENT = 'tui-relay-screen-client';
const QR_LINE = /^[█▀▄ ]{25,}$/;

const mounted: { unmount(): void }[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const instance of mounted.splice(0)) instance.unmount();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const relaying: SigningIn = {
  screen: 'signing-in',
  attempt: 1,
  input: { clientId: 'abc', callbackUrl: 'http://localhost:8080/cb', scopes: ['data:read'] },
  mode: 'relay',
  url: 'https://developer.api.autodesk.com/authentication/v2/authorize?response_type=code&client_id=abc&redirect_uri=https%3A%2F%2Fauth.example.com%2Frelay&state=p.s',
  startLink: false,
  startedAt: 0,
  timeoutMs: 300_000,
  phase: 'waiting',
  browser: 'not-opened',
  refusal: null,
};

describe('signing-in screen through the relay', () => {
  it('counts down, says to sign in on any device, and offers c, s, o (a browser here) and Esc, never m', async () => {
    const keys = signingInHandlers();
    const instance = render(
      <SigningInScreen
        state={relaying}
        profile="work"
        now={55_000}
        hint={null}
        relay="https://auth.example.com"
        canOpen
        qr={{ printed: true, scroll: false }}
        {...keys}
      />,
    );
    mounted.push(instance);
    await vi.waitFor(() =>
      expect(instance.lastFrame()).toContain(
        'Waiting for the sign-in through the relay… (time left: 4 min 05 s)',
      ),
    );
    const flat = instance.lastFrame()!.replace(/\s+/g, ' ');
    expect(flat).toContain('signing in through the relay (profile "work")');
    expect(flat).toContain('relay: https://auth.example.com');
    expect(flat).toContain(
      'The URL is printed above, under its QR code. Open this on any device (phone or another computer) and sign in; this terminal finishes by itself.',
    );
    expect(flat).toContain(
      "o open it in this machine's browser · c copy the URL · s print the QR code again · Esc cancel",
    );
    for (const key of ['m', 'o', 'c', 's']) instance.stdin.write(key);
    await vi.waitFor(() => expect(keys.onShowQr).toHaveBeenCalledTimes(1));
    expect(keys.onOpen).toHaveBeenCalledTimes(1);
    expect(keys.onCopy).toHaveBeenCalledTimes(1);
    expect(keys.onManual).not.toHaveBeenCalled();
    instance.stdin.write('\u001b');
    await vi.waitFor(() => expect(keys.onCancel).toHaveBeenCalledTimes(1));
  });

  it('without a browser here (--no-open, SSH) o is neither offered nor acted on; a QR too wide is said', async () => {
    const keys = signingInHandlers();
    const instance = render(
      <SigningInScreen
        state={{ ...relaying, phase: 'exchanging' }}
        profile="work"
        now={290_000}
        hint={null}
        relay="https://auth.example.com"
        canOpen={false}
        qr={{
          printed: false,
          tooNarrow: 'The terminal is too narrow for the QR code: it needs 69 columns (it has 60).',
        }}
        {...keys}
      />,
    );
    mounted.push(instance);
    await vi.waitFor(() => expect(instance.lastFrame()).toContain('time left: 10 s'));
    const flat = instance.lastFrame()!.replace(/\s+/g, ' ');
    expect(flat).toContain('Signed in at APS; fetching the token here…');
    expect(flat).toContain('it needs 69 columns (it has 60)');
    expect(flat).not.toContain('under its QR code');
    expect(flat).not.toContain('o open');
    instance.stdin.write('o');
    instance.stdin.write('c');
    await vi.waitFor(() => expect(keys.onCopy).toHaveBeenCalledTimes(1));
    expect(keys.onOpen).not.toHaveBeenCalled();
  });
});

describe('set-up screen with --relay', () => {
  it('names the relay and its /relay; a callback URL that is not loopback is no note then (nothing listens)', async () => {
    const validate = createCoreSession({ env: {}, cwd: '/' }).validate;
    const setup: Setup = {
      profile: 'default',
      clientId: { value: 'abc123', source: 'env' },
      clientSecret: { present: false, source: 'default' },
      callbackUrl: { value: 'https://app.example.com/callback', source: 'env' },
      scopes: { value: ['data:read'], source: 'default' },
      baseUrl: { value: 'https://developer.api.autodesk.com', source: 'default' },
      dotenvPath: undefined,
    };
    const relay = 'https://auth.example.com';
    const instance = render(
      <SetupScreen
        setup={setup}
        notice={null}
        relay={relay}
        validate={(input) => withoutListenerNote(validate(input), relay)}
        onSubmit={() => {}}
        onCancel={() => {}}
      />,
    );
    mounted.push(instance);
    await vi.waitFor(() => expect(instance.lastFrame()).toContain('Sign in ⏎'));
    const flat = instance.lastFrame()!.replace(/\s+/g, ' ');
    expect(flat).toContain(
      'relay: https://auth.example.com (the sign-in comes back through https://auth.example.com/relay, which must be registered as a callback URL of the app',
    );
    expect(flat).not.toContain('! The callback URL');
    // Without the relay the same set-up carries core's note (the manual mode); its errors count either way.
    expect(
      validate({ clientId: 'abc123', callbackUrl: setup.callbackUrl.value, scopes: ['data:read'] }),
    ).toMatchObject({ callbackUrl: { severity: 'note' } });
    const broken = validate({ clientId: 'abc123', callbackUrl: 'not a url', scopes: ['data:read'] });
    expect(withoutListenerNote(broken, relay).callbackUrl).toMatchObject({ severity: 'error' });
  });
});

describe('the URL block printed above the screen through the relay', () => {
  it('draws the QR code, then the URL whole on the line under it; too narrow: the URL alone, and why', () => {
    const url = relaying.url!;
    const wide = relayUrlBlock(url, { first: true, hyperlinks: false, columns: 100, rows: 50 });
    const lines = wide.text.split('\n');
    const at = lines.indexOf(url);
    expect(at).toBeGreaterThan(13);
    expect(lines.slice(2, at).every((line) => QR_LINE.test(line))).toBe(true);
    expect(lines[1]).toContain('Sign in on any device (a phone or another computer)');
    expect(wide.qr).toEqual({ printed: true, scroll: false });
    expect(relayUrlBlock(url, { first: true, hyperlinks: false, columns: 100, rows: 24 }).qr).toEqual({
      printed: true,
      scroll: true,
    });
    const narrow = relayUrlBlock(url, { first: false, hyperlinks: false, columns: 40, rows: 24 });
    expect(narrow.text.split('\n').filter((line) => QR_LINE.test(line))).toEqual([]);
    expect(narrow.text).toContain(`\n${url}\n`);
    expect(narrow.text).toContain('A new sign-in URL (the previous one no longer works)');
    expect(narrow.qr).toMatchObject({ printed: false });
    expect(narrow.qr.printed === false && narrow.qr.tooNarrow).toMatch(/needs \d+ columns \(it has 40\)/);
  });
});

describe('the TUI with --relay, on core against the web app as relay', () => {
  it('prints the URL whole under its QR code and counts down from the timeout; Esc cancels (4)', async () => {
    const relay = await startRelay(startEmulator, TERMINAL_CLIENT);
    const root = await mkdtemp(join(tmpdir(), 'aps-auth-tui-relay-screen-'));
    cleanups.push(async () => {
      await relay.close();
      await rm(root, { recursive: true, force: true });
    });
    await mkdir(join(root, 'cwd'));
    // A callback URL nothing here could listen on: through the relay it is only kept in the profile.
    const env = {
      APS_CALLBACK_URL: 'https://app.example.com/callback',
      APS_AUTH_HOME: join(root, 'home'),
      APS_CLIENT_ID: TERMINAL_CLIENT,
      APS_BASE_URL: relay.emu.url,
    };
    const onDone = vi.fn<(code: number) => void>();
    // A clock that stands still: the countdown shows the whole timeout.
    const now = () => 1_000_000;
    const instance = render(
      <App
        createSession={(profile) => createCoreSession({ profile, env, cwd: join(root, 'cwd') })}
        profile={undefined}
        now={now}
        timeoutMs={120_000}
        manual={false}
        openBrowser={false}
        relay={relay.url}
        browserHere={false}
        color={false}
        hyperlinks={false}
        copy={async () => ({ method: 'osc52', hint: 'copied' }) as never}
        openUrl={async () => {}}
        onDone={onDone}
      />,
    );
    mounted.push(instance);
    await vi.waitFor(() => expect(instance.lastFrame()).toContain('Sign in ⏎'));
    expect(instance.lastFrame()!.replace(/\s+/g, ' ')).toContain(
      `relay: ${relay.url} (the sign-in comes back`,
    );
    expect(instance.lastFrame()).not.toContain('! The callback URL');
    await vi.waitFor(() => {
      if (instance.lastFrame()?.includes('Sign in ⏎')) instance.stdin.write('\r');
      expect(instance.lastFrame()).toContain(
        'Waiting for the sign-in through the relay… (time left: 2 min 00 s)',
      );
    });
    // The URL is printed above the screen (with its QR code) once core made it.
    await vi.waitFor(() => expect(instance.lastFrame()).toContain('under its QR code'));
    const printed = instance.frames.join('').split('\n');
    const at = printed.findIndex((line) => line.startsWith(`${relay.emu.url}/authentication/v2/authorize?`));
    const url = new URL(printed[at]!);
    expect(url.searchParams.get('redirect_uri')).toBe(`${relay.url}/relay`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(QR_LINE.test(printed[at - 1]!)).toBe(true);
    expect(printed.filter((line) => QR_LINE.test(line)).length).toBeGreaterThanOrEqual(13);
    instance.stdin.write('\u001b');
    await vi.waitFor(() => expect(onDone).toHaveBeenCalledWith(4));
    expect(relay.emu.control.requests().filter((entry) => entry.endpoint === 'token')).toEqual([]);
  });
});
