import { type Dispatch, useEffect, useReducer, useRef } from 'react';
import { describeError } from '../errors.js';
import { type FlowAction, type FlowState, initialState, reduce, type SignInMode } from '../flow.js';
import { createLineChannel } from '../line-channel.js';
import type { ProfileSession, SetupInput, SignOutResult } from '../session.js';
import { printable } from '../text.js';

export interface FlowDeps {
  createSession(profile: string | undefined): ProfileSession;
  profile: string | undefined;
  now(): number;
  timeoutMs: number;
  /** Start every sign-in in manual mode (`--manual`). */
  manual: boolean;
  /** Open the browser (`--no-open` turns it off). */
  openBrowser: boolean;
  /** `--relay`: every sign-in goes through the relay at this origin (core's relay mode). */
  relay?: string | undefined;
  /** Ends the app with this exit code (after a refresh in flight has settled). */
  onDone(exitCode: number): void;
}

export interface FlowActions {
  session: ProfileSession;
  signIn(input: SetupInput, mode?: SignInMode): void;
  switchToManual(): void;
  paste(line: string): void;
  cancel(): void;
  quit(): void;
  retry(): void;
  refresh(): void;
  signOut(): void;
  chooseProfile(): void;
  switchProfile(name: string): void;
  /** Runs an action of the signed-in screen: busy meanwhile, then its notice (or the error screen). */
  run(busy: string, work: (session: ProfileSession) => Promise<string>): void;
}

/** What the actions share: the reducer's dispatch and the refs that outlive renders. */
interface FlowContext {
  deps: FlowDeps;
  dispatch: Dispatch<FlowAction>;
  session: { current: ProfileSession };
  profile: { current: string };
  attempt: { current: number };
  running: {
    current:
      | {
          controller: AbortController;
          lines: ReturnType<typeof createLineChannel>;
          /** Whether the attempt stored a token (its `stored` event, or its success), once it has ended. */
          stored: Promise<boolean>;
        }
      | undefined;
  };
}

/** The flow's reducer plus the side effects its states ask for, on the injected session. */
export function useFlow(deps: FlowDeps): { state: FlowState; actions: FlowActions; profile: string } {
  const [state, dispatch] = useReducer(reduce, initialState);
  const session = useRef<ProfileSession>(undefined as never);
  session.current ??= deps.createSession(deps.profile);
  const context: FlowContext = {
    deps,
    dispatch,
    session,
    profile: useRef<string>(deps.profile ?? 'default'),
    attempt: useRef(0),
    running: useRef(undefined),
  };
  // The effect runs once per state (the context's refs are stable; `deps` is a new object at each render).
  const latest = useRef(context);
  latest.current = context;
  useEffect(() => runStateEffect(state, latest.current), [state]);
  return { state, actions: createActions(state, context), profile: context.profile.current };
}

/** Loading reads the set-up and the status; done lets a refresh in flight settle, then ends the app. */
function runStateEffect(state: FlowState, context: FlowContext): (() => void) | undefined {
  const { session, dispatch } = context;
  if (state.screen === 'loading') {
    let live = true;
    void (async () => {
      const setup = await session.current.loadSetup();
      context.profile.current = setup.profile;
      const status = await session.current.status();
      if (live) dispatch({ type: 'setup-loaded', setup, status });
    })().catch((error: unknown) => live && dispatch({ type: 'failed', error: describeError(error) }));
    return () => {
      live = false;
    };
  }
  if (state.screen === 'done') {
    context.running.current?.controller.abort();
    const exitCode = state.exitCode;
    void session.current.settle().then(() => context.deps.onDone(exitCode));
  }
  return undefined;
}

function stopRunning(context: FlowContext): void {
  context.running.current?.controller.abort();
  context.running.current = undefined;
}

/** A new sign-in attempt (the previous one, if any, is stopped: its events and outcome are ignored). */
function startSignIn(context: FlowContext, input: SetupInput, mode: SignInMode): void {
  const { deps, dispatch, session } = context;
  stopRunning(context);
  const attempt = ++context.attempt.current;
  const controller = new AbortController();
  const lines = createLineChannel();
  dispatch({ type: 'sign-in', attempt, input, mode, at: deps.now(), timeoutMs: deps.timeoutMs });
  let storedEvent = false;
  const signingIn = session.current.signIn({
    setup: input,
    openBrowser: deps.openBrowser,
    manual: mode === 'manual' ? lines : undefined,
    relay: mode === 'relay' ? deps.relay : undefined,
    timeoutMs: deps.timeoutMs,
    signal: controller.signal,
    onEvent: (event) => {
      if (event.type === 'stored') storedEvent = true;
      dispatch({ type: 'sign-in-event', attempt, event, at: deps.now() });
    },
  });
  const stored = signingIn.then(
    () => true,
    () => storedEvent,
  );
  context.running.current = { controller, lines, stored };
  signingIn.then(
    (status) => dispatch({ type: 'signed-in', attempt, profile: context.profile.current, status }),
    (error: unknown) => {
      // A stopped attempt (cancel, a switch to manual mode) is not an error to show.
      if (!controller.signal.aborted) {
        dispatch({ type: 'failed', attempt, error: describeError(error, { relay: mode === 'relay' }) });
      }
    },
  );
}

function createActions(state: FlowState, context: FlowContext): FlowActions {
  const { deps, dispatch, session } = context;
  const fail = (error: unknown) => dispatch({ type: 'failed', error: describeError(error) });
  // The relay when given (--relay); manual mode when asked (--manual), and when nothing here could receive the
  // callback (not loopback).
  const defaultMode = (input: SetupInput): SignInMode =>
    deps.relay !== undefined
      ? 'relay'
      : deps.manual || session.current.validate(input).callbackUrl?.code === 'CALLBACK_URL_UNSUPPORTED'
        ? 'manual'
        : 'browser';
  const signIn = (input: SetupInput, mode: SignInMode = defaultMode(input)) =>
    startSignIn(context, input, mode);
  return {
    session: session.current,
    signIn,
    switchToManual: () => {
      // Not from the relay: core's relay sign-in and its manual mode are two ways, never one sign-in's.
      if (state.screen === 'signing-in' && state.mode === 'browser') signIn(state.input, 'manual');
    },
    paste: (line) => context.running.current?.lines.push(line),
    cancel: () => {
      const running = state.screen === 'signing-in' ? context.running.current : undefined;
      stopRunning(context);
      dispatch({ type: 'cancel' });
      // The summary says what the stopped attempt left: a code exchange under way may still have stored.
      const profile = context.profile.current;
      if (running !== undefined) {
        void running.stored.then((stored) => dispatch({ type: 'cancel-settled', stored, profile }));
      }
    },
    quit: () => dispatch({ type: 'quit' }),
    retry: () => {
      if (state.screen === 'error' && state.retry === 'sign-in' && state.input !== null) signIn(state.input);
      else dispatch({ type: 'retry' });
    },
    refresh: () => {
      dispatch({ type: 'busy', what: 'Refreshing' });
      session.current
        .refresh()
        .then(() => session.current.status())
        .then(
          (status) =>
            dispatch({ type: 'status', profile: context.profile.current, status, notice: 'Refreshed.' }),
          fail,
        );
    },
    signOut: () => {
      dispatch({ type: 'busy', what: 'Signing out' });
      session.current
        .signOut()
        .then(
          (report) =>
            dispatch({ type: 'signed-out', notice: describeSignOut(report, context.profile.current) }),
          fail,
        );
    },
    chooseProfile: () => {
      dispatch({ type: 'choose-profile' });
      session.current
        .listProfiles()
        .then((profiles) => dispatch({ type: 'profiles-listed', profiles }), fail);
    },
    switchProfile: (name) => {
      void session.current.settle();
      session.current = deps.createSession(name);
      context.profile.current = name;
      dispatch({ type: 'profile-chosen' });
    },
    run: (busy, work) => {
      dispatch({ type: 'busy', what: busy });
      work(session.current).then((notice) => dispatch({ type: 'notice', text: notice }), fail);
    },
  };
}

/** What a sign-out did, from core's report (its messages are the server's: control characters are removed). */
export function describeSignOut(report: SignOutResult, profile: string): string {
  switch (report.outcome) {
    case 'signed-out':
      return report.revocationFailures.length === 0
        ? `Signed out of profile "${profile}": tokens revoked and forgotten.`
        : `Signed out locally, but revocation at the server failed (${report.revocationFailures
            .map(
              (failure) => `${failure.tokenTypeHint.replace('_', ' ')}: ${printable(failure.message, 200)}`,
            )
            .join('; ')}).`;
    case 'nothing-to-do':
      return `Profile "${profile}" was not signed in: nothing to sign out.`;
    case 'moved-aside':
      return `The token file of profile "${profile}" could not be read: moved aside to ${report.movedAsideTo}.`;
    case 'left-in-place':
      return `The token stored for profile "${profile}" is of another client id or server: left in place, not revoked.`;
  }
}
