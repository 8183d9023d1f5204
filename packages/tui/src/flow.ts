import type { ErrorView } from './errors.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import type { SessionStatus, Setup, SetupInput, SignInEvent } from './session.js';
import { printable } from './text.js';

/**
 * The TUI's flow as a plain state machine: loading → setup → signing-in → signed-in, an error screen with a
 * retry from any step, and cancel. The screens render a state; `use-flow.ts` runs the side effects a state asks
 * for (each sign-in attempt has a number, so an effect knows which attempt it serves).
 */
/** `relay`: through an aps-auth web app (`--relay`): the URL is for any device, the relay hands the code back. */
export type SignInMode = 'browser' | 'manual' | 'relay';

export interface SigningIn {
  screen: 'signing-in';
  attempt: number;
  input: SetupInput;
  mode: SignInMode;
  /** The URL to open, once core made it: the authorize URL, or core's one-time start link (`startLink`). */
  url: string | null;
  /** The URL is the loopback listener's start link: it works in a browser on this machine only. */
  startLink: boolean;
  /** When the wait started (ms) and how long it may last, for the countdown. */
  startedAt: number;
  timeoutMs: number;
  phase: 'starting' | 'waiting' | 'exchanging';
  browser: 'opened' | 'failed' | 'not-opened';
  /** The last refusal of a callback or pasted URL (the sign-in keeps waiting). */
  refusal: string | null;
}

export type FlowState =
  /** `signInAgain`: go to the set-up even when a token is stored (its refresh token was rejected). */
  | { screen: 'loading'; notice?: string | undefined; signInAgain?: boolean | undefined }
  | { screen: 'setup'; setup: Setup; notice: string | null }
  | SigningIn
  | {
      screen: 'signed-in';
      profile: string;
      status: SessionStatus;
      notice: string | null;
      busy: string | null;
    }
  | { screen: 'profiles'; current: string; profiles: { name: string; signedIn: boolean }[] | null }
  | { screen: 'error'; error: ErrorView; retry: 'load' | 'sign-in' | 'status'; input: SetupInput | null }
  /** A cancel while signing in: waiting for the attempt to end (a code exchange under way may still store). */
  | { screen: 'cancelling' }
  /** `summary`: the last frame, left on the terminal after the TUI ends. */
  | { screen: 'done'; exitCode: ExitCodeValue; summary: string };

export type FlowAction =
  | { type: 'setup-loaded'; setup: Setup; status: SessionStatus }
  | { type: 'sign-in'; attempt: number; input: SetupInput; mode: SignInMode; at: number; timeoutMs: number }
  | { type: 'sign-in-event'; attempt: number; event: SignInEvent; at: number }
  | { type: 'signed-in'; attempt: number; profile: string; status: SessionStatus }
  | { type: 'status'; profile: string; status: SessionStatus; notice?: string | undefined }
  | { type: 'busy'; what: string | null }
  | { type: 'notice'; text: string }
  | { type: 'failed'; error: ErrorView; attempt?: number | undefined }
  | { type: 'retry' }
  | { type: 'signed-out'; notice: string }
  | { type: 'choose-profile' }
  | { type: 'profiles-listed'; profiles: { name: string; signedIn: boolean }[] }
  | { type: 'profile-chosen' }
  | { type: 'cancel' }
  /** The cancelled attempt has ended: `stored` when its token was stored all the same. */
  | { type: 'cancel-settled'; stored: boolean; profile: string }
  | { type: 'quit' };

export const initialState: FlowState = { screen: 'loading' };

const isSignedIn = (status: SessionStatus) => status.state === 'valid' || status.state === 'expiring';

function notSignedInNotice(status: SessionStatus): string | null {
  if (status.state === 'other-client' || status.state === 'corrupt') return status.message;
  if (status.state === 'refresh-rejected') return `${status.message} Sign in again below.`;
  return null;
}

export function reduce(state: FlowState, action: FlowAction): FlowState {
  switch (action.type) {
    case 'setup-loaded':
      return afterLoad(state, action.setup, action.status);
    case 'sign-in':
      return {
        screen: 'signing-in',
        attempt: action.attempt,
        input: action.input,
        mode: action.mode,
        url: null,
        startLink: false,
        startedAt: action.at,
        timeoutMs: action.timeoutMs,
        phase: 'starting',
        browser: 'not-opened',
        refusal: null,
      };
    case 'sign-in-event':
      if (state.screen !== 'signing-in' || state.attempt !== action.attempt) return state;
      return applySignInEvent(state, action.event, action.at);
    case 'signed-in':
      if (state.screen !== 'signing-in' || state.attempt !== action.attempt) return state;
      return signedIn(action.profile, action.status, null);
    case 'status':
      return isSignedIn(action.status)
        ? signedIn(action.profile, action.status, action.notice ?? null)
        : { screen: 'loading' };
    case 'busy':
      return state.screen === 'signed-in' ? { ...state, busy: action.what } : state;
    case 'notice':
      if (state.screen === 'signed-in') return { ...state, notice: printable(action.text), busy: null };
      if (state.screen === 'setup') return { ...state, notice: printable(action.text) };
      return state;
    case 'failed':
      return fail(state, action.error, action.attempt);
    case 'retry':
      return retry(state);
    case 'signed-out':
      return { screen: 'loading', notice: printable(action.notice) };
    case 'choose-profile':
      return state.screen === 'signed-in'
        ? { screen: 'profiles', current: state.profile, profiles: null }
        : state;
    case 'profiles-listed':
      return state.screen === 'profiles' ? { ...state, profiles: action.profiles } : state;
    case 'profile-chosen':
      return { screen: 'loading' };
    case 'cancel':
      return cancel(state);
    case 'cancel-settled':
      return state.screen === 'cancelling' ? cancelSettled(action.stored, action.profile) : state;
    case 'quit':
      return quit(state);
  }
}

function signedIn(profile: string, status: SessionStatus, notice: string | null): FlowState {
  return { screen: 'signed-in', profile, status, notice, busy: null };
}

function afterLoad(state: FlowState, setup: Setup, status: SessionStatus): FlowState {
  const signInAgain = state.screen === 'loading' && state.signInAgain === true;
  if (isSignedIn(status) && !signInAgain) return signedIn(setup.profile, status, null);
  const carried = state.screen === 'loading' ? (state.notice ?? null) : null;
  return { screen: 'setup', setup, notice: notSignedInNotice(status) ?? carried };
}

/** An error of the current attempt (or of no attempt) shows the error screen; a stopped attempt's is ignored. */
function fail(state: FlowState, error: ErrorView, attempt: number | undefined): FlowState {
  if (attempt !== undefined && (state.screen !== 'signing-in' || state.attempt !== attempt)) return state;
  return {
    screen: 'error',
    error,
    retry: state.screen === 'signing-in' ? 'sign-in' : state.screen === 'signed-in' ? 'status' : 'load',
    input: state.screen === 'signing-in' ? state.input : null,
  };
}

function retry(state: FlowState): FlowState {
  if (state.screen !== 'error') return state;
  // A rejected refresh token: retrying the status would show the same grant again; sign in instead.
  if (state.error.code === 'SIGN_IN_REQUIRED') {
    return { screen: 'loading', notice: 'The sign-in has ended: sign in again.', signInAgain: true };
  }
  return { screen: 'loading' };
}

/** Esc and Ctrl+C: nothing is stored; on the signed-in or error screen it is a plain quit. */
function cancel(state: FlowState): FlowState {
  if (state.screen === 'signed-in' || state.screen === 'error') return quit(state);
  if (state.screen === 'profiles') return { screen: 'loading' };
  if (state.screen === 'done' || state.screen === 'cancelling') return state;
  // A sign-in under way is stopped first: the summary then says what it left (see cancelSettled).
  if (state.screen === 'signing-in') return { screen: 'cancelling' };
  return { screen: 'done', exitCode: ExitCode.CANCELLED, summary: 'Cancelled: nothing was stored.' };
}

/** The summary of a cancelled sign-in, from its outcome: a code exchange already under way may have stored. */
function cancelSettled(stored: boolean, profile: string): FlowState {
  if (!stored)
    return { screen: 'done', exitCode: ExitCode.CANCELLED, summary: 'Cancelled: nothing was stored.' };
  const flag = profile === 'default' ? '' : ` --profile ${profile}`;
  return {
    screen: 'done',
    exitCode: ExitCode.CANCELLED,
    summary:
      `Cancelled, but the sign-in had already completed: its token is stored (profile "${profile}"); ` +
      `'aps-auth logout${flag}' signs out.`,
  };
}

function quit(state: FlowState): FlowState {
  if (state.screen === 'done') return state;
  if (state.screen === 'error') {
    return {
      screen: 'done',
      exitCode: state.error.exitCode,
      summary: `${state.error.code}: ${state.error.message}`,
    };
  }
  const summary =
    state.screen === 'signed-in'
      ? `Signed in (profile "${state.profile}"): 'aps-auth token${state.profile === 'default' ? '' : ` --profile ${state.profile}`}' prints a valid token.`
      : 'Not signed in.';
  return { screen: 'done', exitCode: ExitCode.OK, summary };
}

function applySignInEvent(state: SigningIn, event: SignInEvent, at: number): SigningIn {
  switch (event.type) {
    case 'authorize-url':
      // Core's timeout starts once the URL is known: so does the countdown, for as long as core waits (through
      // a relay, no longer than its pairing lives).
      return {
        ...state,
        url: event.url,
        startLink: event.startLink,
        startedAt: at,
        timeoutMs: event.timeoutMs,
      };
    case 'waiting':
      return { ...state, phase: 'waiting' };
    case 'browser-opened':
      return { ...state, browser: 'opened' };
    case 'browser-failed':
      return { ...state, browser: 'failed' };
    case 'callback-refused':
      return { ...state, refusal: printable(event.message) };
    case 'callback-received':
    case 'exchanging':
      return { ...state, phase: 'exchanging', refusal: null };
    default:
      return state;
  }
}
