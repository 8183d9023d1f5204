import type { ErrorView } from './errors.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import type { SessionStatus, Setup, SetupInput, SignInEvent } from './session.js';
import { printable } from './text.js';

/**
 * The TUI's flow as a plain state machine: loading → setup → signing-in → signed-in, an error screen with a
 * retry from any step, and cancel. The screens render a state; `use-flow.ts` runs the side effects a state asks
 * for (each sign-in attempt has a number, so an effect knows which attempt it serves).
 */
export type SignInMode = 'browser' | 'manual';

export interface SigningIn {
  screen: 'signing-in';
  attempt: number;
  input: SetupInput;
  mode: SignInMode;
  /** The authorize URL, once core made it. */
  url: string | null;
  /** When the wait started (ms) and how long it may last, for the countdown. */
  startedAt: number;
  timeoutMs: number;
  phase: 'starting' | 'waiting' | 'exchanging';
  browser: 'opened' | 'failed' | 'not-opened';
  /** The last refusal of a callback or pasted URL (the sign-in keeps waiting). */
  refusal: string | null;
}

export type FlowState =
  | { screen: 'loading'; notice?: string | undefined }
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
  /** `summary`: the last frame, left on the terminal after the TUI ends. */
  | { screen: 'done'; exitCode: ExitCodeValue; summary: string };

export type FlowAction =
  | { type: 'setup-loaded'; setup: Setup; status: SessionStatus }
  | { type: 'sign-in'; attempt: number; input: SetupInput; mode: SignInMode; at: number; timeoutMs: number }
  | { type: 'sign-in-event'; attempt: number; event: SignInEvent; at: number }
  | { type: 'switch-to-manual'; attempt: number; at: number }
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
  | { type: 'quit' };

export const initialState: FlowState = { screen: 'loading' };

const isSignedIn = (status: SessionStatus) => status.state === 'valid' || status.state === 'expiring';

function notSignedInNotice(status: SessionStatus): string | null {
  if (status.state === 'other-client' || status.state === 'corrupt') return status.message;
  return null;
}

export function reduce(state: FlowState, action: FlowAction): FlowState {
  switch (action.type) {
    case 'setup-loaded':
      return isSignedIn(action.status)
        ? {
            screen: 'signed-in',
            profile: action.setup.profile,
            status: action.status,
            notice: null,
            busy: null,
          }
        : {
            screen: 'setup',
            setup: action.setup,
            notice:
              notSignedInNotice(action.status) ??
              (state.screen === 'loading' ? (state.notice ?? null) : null),
          };
    case 'sign-in':
      return {
        screen: 'signing-in',
        attempt: action.attempt,
        input: action.input,
        mode: action.mode,
        url: null,
        startedAt: action.at,
        timeoutMs: action.timeoutMs,
        phase: 'starting',
        browser: 'not-opened',
        refusal: null,
      };
    case 'sign-in-event':
      if (state.screen !== 'signing-in' || state.attempt !== action.attempt) return state;
      return applySignInEvent(state, action.event, action.at);
    case 'switch-to-manual':
      // A new attempt in manual mode: the listener of the old one stops and its URL no longer works.
      if (state.screen !== 'signing-in' || state.mode === 'manual') return state;
      return {
        ...state,
        attempt: action.attempt,
        mode: 'manual',
        url: null,
        startedAt: action.at,
        phase: 'starting',
        refusal: null,
      };
    case 'signed-in':
      if (state.screen !== 'signing-in' || state.attempt !== action.attempt) return state;
      return {
        screen: 'signed-in',
        profile: action.profile,
        status: action.status,
        notice: null,
        busy: null,
      };
    case 'status':
      if (!isSignedIn(action.status)) return { screen: 'loading' };
      return {
        screen: 'signed-in',
        profile: action.profile,
        status: action.status,
        notice: action.notice ?? null,
        busy: null,
      };
    case 'busy':
      return state.screen === 'signed-in' ? { ...state, busy: action.what } : state;
    case 'notice':
      if (state.screen === 'signed-in') return { ...state, notice: printable(action.text), busy: null };
      if (state.screen === 'setup') return { ...state, notice: printable(action.text) };
      return state;
    case 'failed':
      if (
        action.attempt !== undefined &&
        (state.screen !== 'signing-in' || state.attempt !== action.attempt)
      ) {
        return state;
      }
      return {
        screen: 'error',
        error: action.error,
        retry: state.screen === 'signing-in' ? 'sign-in' : state.screen === 'signed-in' ? 'status' : 'load',
        input: state.screen === 'signing-in' ? state.input : null,
      };
    case 'retry':
      return state.screen === 'error' ? { screen: 'loading' } : state;
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
      // Esc and Ctrl+C: nothing is stored; leaving a signed-in screen is a plain quit.
      if (state.screen === 'signed-in' || state.screen === 'error') return reduce(state, { type: 'quit' });
      if (state.screen === 'profiles') return { screen: 'loading' };
      if (state.screen === 'done') return state;
      return { screen: 'done', exitCode: ExitCode.CANCELLED, summary: 'Cancelled: nothing was stored.' };
    case 'quit':
      return quit(state);
  }
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
      // Core's timeout starts once the URL is known: so does the countdown.
      return { ...state, url: event.url, startedAt: at };
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
