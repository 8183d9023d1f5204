import { useEffect, useReducer, useRef } from 'react';
import { describeError } from '../errors.js';
import { type FlowState, initialState, reduce, type SignInMode } from '../flow.js';
import { createLineChannel } from '../line-channel.js';
import type { ProfileSession, SetupInput } from '../session.js';

export interface FlowDeps {
  createSession(profile: string | undefined): ProfileSession;
  profile: string | undefined;
  now(): number;
  timeoutMs: number;
  /** Start every sign-in in manual mode (`--manual`). */
  manual: boolean;
  /** Open the browser (`--no-open` turns it off). */
  openBrowser: boolean;
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
  run(busy: string, work: (session: ProfileSession) => Promise<string>): void;
}

/** The flow's reducer plus the side effects its states ask for, on the injected session. */
export function useFlow(deps: FlowDeps): { state: FlowState; actions: FlowActions; profile: string } {
  const [state, dispatch] = useReducer(reduce, initialState);
  const session = useRef<ProfileSession>(undefined as never);
  session.current ??= deps.createSession(deps.profile);
  const attempt = useRef(0);
  const running = useRef<{ controller: AbortController; lines: ReturnType<typeof createLineChannel> }>(
    undefined,
  );
  const profile = useRef<string>(deps.profile ?? 'default');

  useEffect(() => {
    if (state.screen === 'loading') {
      let live = true;
      void (async () => {
        const setup = await session.current.loadSetup();
        profile.current = setup.profile;
        const status = await session.current.status();
        if (live) dispatch({ type: 'setup-loaded', setup, status });
      })().catch((error: unknown) => live && dispatch({ type: 'failed', error: describeError(error) }));
      return () => {
        live = false;
      };
    }
    if (state.screen === 'done') {
      running.current?.controller.abort();
      const exitCode = state.exitCode;
      void session.current.settle().then(() => deps.onDone(exitCode));
    }
    return undefined;
  }, [state, deps]);

  const stopRunning = () => {
    running.current?.controller.abort();
    running.current = undefined;
  };

  const signIn = (input: SetupInput, mode: SignInMode = deps.manual ? 'manual' : 'browser') => {
    stopRunning();
    const number = ++attempt.current;
    const controller = new AbortController();
    const lines = createLineChannel();
    running.current = { controller, lines };
    dispatch({ type: 'sign-in', attempt: number, input, mode, at: deps.now(), timeoutMs: deps.timeoutMs });
    void session.current
      .signIn({
        setup: input,
        openBrowser: deps.openBrowser,
        manual: mode === 'manual' ? lines : undefined,
        timeoutMs: deps.timeoutMs,
        signal: controller.signal,
        onEvent: (event) => dispatch({ type: 'sign-in-event', attempt: number, event, at: deps.now() }),
      })
      .then(() => session.current.status())
      .then(
        (status) => dispatch({ type: 'signed-in', attempt: number, profile: profile.current, status }),
        (error: unknown) => {
          // A stopped attempt (cancel, a switch to manual mode) is not an error to show.
          if (!controller.signal.aborted)
            dispatch({ type: 'failed', attempt: number, error: describeError(error) });
        },
      );
  };

  const run = (busy: string, work: (s: ProfileSession) => Promise<string>) => {
    dispatch({ type: 'busy', what: busy });
    work(session.current).then(
      (notice) => dispatch({ type: 'notice', text: notice }),
      (error: unknown) => dispatch({ type: 'failed', error: describeError(error) }),
    );
  };

  const actions: FlowActions = {
    session: session.current,
    signIn,
    switchToManual: () => {
      if (state.screen === 'signing-in') signIn(state.input, 'manual');
    },
    paste: (line) => running.current?.lines.push(line),
    cancel: () => {
      stopRunning();
      dispatch({ type: 'cancel' });
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
          (status) => dispatch({ type: 'status', profile: profile.current, status, notice: 'Refreshed.' }),
          (error: unknown) => dispatch({ type: 'failed', error: describeError(error) }),
        );
    },
    signOut: () => {
      dispatch({ type: 'busy', what: 'Signing out' });
      session.current.signOut().then(
        ({ revocationFailures }) =>
          dispatch({
            type: 'signed-out',
            notice:
              revocationFailures.length === 0
                ? `Signed out of profile "${profile.current}": tokens revoked and forgotten.`
                : `Signed out locally, but revocation at the server failed (${revocationFailures.join('; ')}).`,
          }),
        (error: unknown) => dispatch({ type: 'failed', error: describeError(error) }),
      );
    },
    chooseProfile: () => {
      dispatch({ type: 'choose-profile' });
      session.current.listProfiles().then(
        (profiles) => dispatch({ type: 'profiles-listed', profiles }),
        (error: unknown) => dispatch({ type: 'failed', error: describeError(error) }),
      );
    },
    switchProfile: (name) => {
      void session.current.settle();
      session.current = deps.createSession(name);
      profile.current = name;
      dispatch({ type: 'profile-chosen' });
    },
    run,
  };
  return { state, actions, profile: profile.current };
}
