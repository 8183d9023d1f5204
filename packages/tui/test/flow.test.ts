import { describe, expect, it } from 'vitest';
import type { ErrorView } from '../src/errors.js';
import { type FlowState, initialState, reduce } from '../src/flow.js';
import type { SessionStatus, Setup, SetupInput } from '../src/session.js';

const setup: Setup = {
  profile: 'work',
  clientId: { value: 'abc', source: 'env' },
  clientSecret: { present: false, source: 'default' },
  callbackUrl: { value: 'http://localhost:8080/cb', source: 'default' },
  scopes: { value: ['data:read'], source: 'default' },
  baseUrl: { value: 'https://developer.api.autodesk.com', source: 'default' },
  dotenvPath: undefined,
};
const input: SetupInput = { clientId: 'abc', callbackUrl: 'http://localhost:8080/cb', scopes: ['data:read'] };
const valid: SessionStatus = {
  state: 'valid',
  user: { name: 'Ada', email: 'ada@example.com' },
  scopes: ['data:read'],
  accessExpiresAt: 10_000,
  refreshIssuedAt: 0,
  refreshLifetimeMs: 1000,
};
const failure: ErrorView = {
  code: 'LOGIN_TIMEOUT',
  message: 'No callback.',
  nextStep: 'Register it.',
  exitCode: 4,
};

const run = (...actions: Parameters<typeof reduce>[1][]): FlowState => actions.reduce(reduce, initialState);
const signIn = (attempt: number) =>
  ({ type: 'sign-in', attempt, input, mode: 'browser', at: 1000, timeoutMs: 300_000 }) as const;

describe('the flow: setup → signing in → signed in', () => {
  it('shows the set-up when not signed in, and the signed-in screen when a valid token is stored', () => {
    expect(run({ type: 'setup-loaded', setup, status: { state: 'signed-out' } }).screen).toBe('setup');
    expect(run({ type: 'setup-loaded', setup, status: valid })).toMatchObject({
      screen: 'signed-in',
      profile: 'work',
    });
  });

  it('says why a stored token is not used (another client, corrupt) on the set-up', () => {
    const state = run({
      type: 'setup-loaded',
      setup,
      status: { state: 'other-client', message: 'another client id' },
    });
    expect(state).toMatchObject({ screen: 'setup', notice: 'another client id' });
  });

  it('follows the sign-in events of the current attempt only', () => {
    const url = 'https://example.test/authorize?x=1';
    const state = run(
      { type: 'setup-loaded', setup, status: { state: 'signed-out' } },
      signIn(1),
      {
        type: 'sign-in-event',
        attempt: 1,
        event: { type: 'authorize-url', url, startLink: false, timeoutMs: 120_000 },
        at: 2000,
      },
      { type: 'sign-in-event', attempt: 1, event: { type: 'waiting' }, at: 2000 },
      { type: 'sign-in-event', attempt: 0, event: { type: 'exchanging' }, at: 2000 },
    );
    // The countdown starts with the URL (as core's timeout does), not when the attempt began, and lasts as long
    // as core says it waits (a relay's pairing may end it before the --timeout).
    expect(state).toMatchObject({
      screen: 'signing-in',
      url,
      phase: 'waiting',
      startedAt: 2000,
      timeoutMs: 120_000,
    });
  });

  it('a switch to manual mode is a new attempt: the old attempt can no longer finish or fail the flow', () => {
    const manual = run(
      signIn(1),
      {
        type: 'sign-in-event',
        attempt: 1,
        event: { type: 'authorize-url', url: 'u1', startLink: true, timeoutMs: 300_000 },
        at: 1,
      },
      {
        ...signIn(2),
        mode: 'manual',
      },
    );
    expect(manual).toMatchObject({ screen: 'signing-in', attempt: 2, mode: 'manual', url: null });
    expect(reduce(manual, { type: 'signed-in', attempt: 1, profile: 'work', status: valid })).toBe(manual);
    expect(reduce(manual, { type: 'failed', attempt: 1, error: failure })).toBe(manual);
  });

  it('keeps a refused callback on screen (control characters stripped) until the exchange starts', () => {
    const refused = run(signIn(1), {
      type: 'sign-in-event',
      attempt: 1,
      event: { type: 'callback-refused', message: 'bad \u001b[31mstate' },
      at: 1,
    });
    expect(refused).toMatchObject({ refusal: 'bad \uFFFD[31mstate' });
    expect(
      reduce(refused, { type: 'sign-in-event', attempt: 1, event: { type: 'exchanging' }, at: 2 }),
    ).toMatchObject({
      refusal: null,
      phase: 'exchanging',
    });
  });

  it('ends signed in with the status of the attempt that succeeded', () => {
    const state = run(signIn(1), { type: 'signed-in', attempt: 1, profile: 'work', status: valid });
    expect(state).toMatchObject({ screen: 'signed-in', status: valid, busy: null });
  });
});

describe('cancel, quit, errors and retry', () => {
  it('Esc or Ctrl+C on the set-up or while signing in ends with the cancel exit code 4', () => {
    const cancelled = { screen: 'done', exitCode: 4, summary: 'Cancelled: nothing was stored.' };
    const setUp = run({ type: 'setup-loaded', setup, status: { state: 'signed-out' } });
    expect(reduce(setUp, { type: 'cancel' })).toEqual(cancelled);
    // A sign-in under way is stopped first; the summary waits for what it left.
    const cancelling = run(signIn(1), { type: 'cancel' });
    expect(cancelling).toEqual({ screen: 'cancelling' });
    expect(reduce(cancelling, { type: 'cancel' })).toEqual(cancelling);
    expect(reduce(cancelling, { type: 'cancel-settled', stored: false, profile: 'work' })).toEqual(cancelled);
  });

  it('a cancel that came while the code was exchanged says truthfully that the token was stored', () => {
    const cancelling = run(signIn(1), { type: 'cancel' });
    const done = reduce(cancelling, { type: 'cancel-settled', stored: true, profile: 'work' });
    expect(done).toMatchObject({ screen: 'done', exitCode: 4 });
    expect(done.screen === 'done' && done.summary).toContain('its token is stored (profile "work")');
    expect(done.screen === 'done' && done.summary).toContain("'aps-auth logout --profile work'");
  });

  it('a refresh token the server rejected is not a sign-in: the set-up says sign in again', () => {
    const state = run({
      type: 'setup-loaded',
      setup,
      status: { state: 'refresh-rejected', message: 'The sign-in has ended.' },
    });
    expect(state).toMatchObject({ screen: 'setup', notice: 'The sign-in has ended. Sign in again below.' });
  });

  it('leaving the signed-in screen is a plain quit (0)', () => {
    const signedIn = run({ type: 'setup-loaded', setup, status: valid });
    const quit = {
      screen: 'done',
      exitCode: 0,
      summary: `Signed in (profile "work"): 'aps-auth token --profile work' prints a valid token.`,
    };
    expect(reduce(signedIn, { type: 'cancel' })).toEqual(quit);
    expect(reduce(signedIn, { type: 'quit' })).toEqual(quit);
  });

  it('an error remembers what to retry, and quitting from it exits with its code', () => {
    const failed = run(signIn(1), { type: 'failed', attempt: 1, error: failure });
    expect(failed).toMatchObject({
      screen: 'error',
      retry: 'sign-in',
      input,
      error: { code: 'LOGIN_TIMEOUT' },
    });
    expect(reduce(failed, { type: 'quit' })).toEqual({
      screen: 'done',
      exitCode: 4,
      summary: 'LOGIN_TIMEOUT: No callback.',
    });
    expect(reduce(failed, { type: 'retry' })).toEqual({ screen: 'loading' });
  });

  it('after a rejected refresh token, retry leads to the set-up (sign in again), not the same grant', () => {
    const rejected: ErrorView = {
      code: 'SIGN_IN_REQUIRED',
      message: 'Rejected.',
      nextStep: 'Sign in again (r).',
      exitCode: 3,
    };
    const signedIn = run({ type: 'setup-loaded', setup, status: valid });
    const failed = reduce(signedIn, { type: 'failed', error: rejected });
    expect(failed).toMatchObject({ screen: 'error', retry: 'status' });
    const loading = reduce(failed, { type: 'retry' });
    expect(loading).toMatchObject({ screen: 'loading', signInAgain: true });
    expect(reduce(loading, { type: 'setup-loaded', setup, status: valid })).toMatchObject({
      screen: 'setup',
      notice: 'The sign-in has ended: sign in again.',
    });
  });

  it('signing out goes back to loading with a notice that the set-up then shows', () => {
    const out = run(
      { type: 'setup-loaded', setup, status: valid },
      { type: 'signed-out', notice: 'Signed out.' },
    );
    expect(out).toEqual({ screen: 'loading', notice: 'Signed out.' });
    expect(reduce(out, { type: 'setup-loaded', setup, status: { state: 'signed-out' } })).toMatchObject({
      screen: 'setup',
      notice: 'Signed out.',
    });
  });

  it('the profile switcher lists profiles and Esc returns to loading', () => {
    const picker = run({ type: 'setup-loaded', setup, status: valid }, { type: 'choose-profile' });
    expect(picker).toEqual({ screen: 'profiles', current: 'work', profiles: null });
    const listed = reduce(picker, { type: 'profiles-listed', profiles: [{ name: 'work', signedIn: true }] });
    expect(listed).toMatchObject({ profiles: [{ name: 'work', signedIn: true }] });
    expect(reduce(listed, { type: 'cancel' })).toEqual({ screen: 'loading' });
  });
});
