import { Text, useApp } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { CopyResult } from './clipboard.js';
import type { FlowState } from './flow.js';
import { type FlowActions, type FlowDeps, useFlow } from './hooks/use-flow.js';
import { useNow } from './hooks/use-now.js';
import { type RelayQr, useUrlPrinter } from './hooks/use-url-printer.js';
import { withoutListenerNote } from './listener-note.js';
import { ErrorScreen } from './screens/error-screen.js';
import { ProfilesScreen } from './screens/profiles-screen.js';
import { SetupScreen } from './screens/setup-screen.js';
import { SignedInScreen } from './screens/signed-in-screen.js';
import { SigningInScreen } from './screens/signing-in-screen.js';
import { formatDuration } from './text.js';
import { createTheme, ThemeContext } from './theme.js';
import { useWarnings, type WarningFeed } from './warnings.js';

export interface AppProps extends Omit<FlowDeps, 'onDone'> {
  color: boolean;
  /** OSC 8 for the printed URL (only where the terminal is known to show it). */
  hyperlinks: boolean;
  copy(text: string): Promise<CopyResult>;
  /** Opens the authorize URL again (`o`). */
  openUrl(url: string): Promise<void>;
  /** Whether a browser could open on this machine (not `--no-open`, not over SSH): `o` in relay mode. */
  browserHere?: boolean | undefined;
  onDone(exitCode: number): void;
  /** A signal from outside (SIGINT, SIGTERM, SIGHUP) cancels like Esc. */
  signal?: AbortSignal | undefined;
  /** A line shown above every screen (the demo's label). */
  banner?: string | undefined;
  /** Core's warnings, shown above the screen (a secret withheld, a `.env` setting ignored, a store notice). */
  warnings?: WarningFeed | undefined;
}

/** The whole TUI: the flow's current screen, in the theme (NO_COLOR honoured). */
export function App(props: AppProps) {
  const { exit } = useApp();
  const [theme] = useState(() => createTheme(props.color));
  // A hint belongs to the attempt it was given in: a new attempt starts without one.
  const [hint, setHintOf] = useState<{ attempt: number; text: string } | null>(null);
  const { state, actions, profile } = useFlow({
    ...props,
    onDone: (code) => {
      props.onDone(code);
      exit();
    },
  });
  const now = useNow(props.now, state.screen === 'signing-in' || state.screen === 'signed-in');
  useCancelOnAbort(props.signal, actions.cancel);
  const warnings = useWarnings(props.warnings);
  const url = state.screen === 'signing-in' ? state.url : null;
  const attempt = state.screen === 'signing-in' ? state.attempt : 0;
  const relayMode = state.screen === 'signing-in' && state.mode === 'relay';
  const printer = useUrlPrinter(url, attempt, props.hyperlinks, { relay: relayMode });
  const setHint = (text: string) => setHintOf({ attempt, text });
  const report = (work: Promise<string>) =>
    work.then(setHint, (error: unknown) =>
      setHint(`Failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  const context: ScreenContext = {
    props,
    actions,
    now,
    profile,
    hint: hint?.attempt === attempt ? hint.text : null,
    report,
    printQr: () => setHint(printer.printQr()),
    relayQr: printer.qr,
  };
  return (
    <ThemeContext.Provider value={theme}>
      {props.banner === undefined ? null : (
        <Text color={theme.warn} wrap="wrap">
          {props.banner}
        </Text>
      )}
      {warnings.map((warning) => (
        <Text key={warning} color={theme.warn} wrap="wrap">
          ! {warning}
        </Text>
      ))}
      <Screen state={state} context={context} />
    </ThemeContext.Provider>
  );
}

function useCancelOnAbort(signal: AbortSignal | undefined, cancel: () => void): void {
  const latest = useRef(cancel);
  latest.current = cancel;
  useEffect(() => {
    const onAbort = () => latest.current();
    signal?.addEventListener('abort', onAbort, { once: true });
    return () => signal?.removeEventListener('abort', onAbort);
  }, [signal]);
}

interface ScreenContext {
  props: AppProps;
  actions: FlowActions;
  now: number;
  profile: string;
  hint: string | null;
  report(work: Promise<string>): void;
  printQr(): void;
  /** Relay mode: the QR code printed with the URL (or why not). */
  relayQr: RelayQr | null;
}

function Screen({ state, context }: { state: FlowState; context: ScreenContext }) {
  const { props, actions, now } = context;
  switch (state.screen) {
    case 'loading':
      return <Text>Loading the configuration…</Text>;
    case 'done':
      // The demo's home is removed on exit: its sign-in serves nothing afterwards (the bin says so).
      return (
        <Text wrap="wrap">
          {props.banner !== undefined && state.exitCode === 0 ? 'Demo done.' : state.summary}
        </Text>
      );
    case 'cancelling':
      return <Text>Cancelling…</Text>;
    case 'setup':
      return (
        <SetupScreen
          setup={state.setup}
          notice={state.notice}
          relay={props.relay}
          validate={(input) => withoutListenerNote(actions.session.validate(input), props.relay)}
          onSubmit={(input) => actions.signIn(input)}
          onCancel={actions.cancel}
        />
      );
    case 'signing-in':
      return (
        <SigningInScreen
          state={state}
          profile={context.profile}
          now={now}
          hint={context.hint}
          relay={props.relay}
          canOpen={props.browserHere}
          qr={context.relayQr}
          onOpen={() =>
            context.report(
              props
                .openUrl(state.url!)
                .then(() =>
                  state.mode === 'relay'
                    ? "Opened the URL in this machine's browser."
                    : 'Opened the browser again.',
                ),
            )
          }
          onCopy={() => context.report(props.copy(state.url!).then((r) => `URL ${r.hint}.`))}
          onShowQr={context.printQr}
          onManual={actions.switchToManual}
          onPaste={actions.paste}
          onCancel={actions.cancel}
        />
      );
    case 'signed-in':
      if (state.status.state !== 'valid' && state.status.state !== 'expiring')
        return <Text>Not signed in.</Text>;
      return (
        <SignedInScreen
          profile={state.profile}
          status={state.status}
          now={now}
          notice={state.notice}
          busy={state.busy}
          onRefresh={actions.refresh}
          onCopyToken={() => actions.run('Copying the access token', (s) => copyAccessToken(s, props))}
          onViewerToken={() =>
            actions.run('Getting a viewables:read token', (s) => copyViewerToken(s, props))
          }
          onSignOut={actions.signOut}
          onProfiles={actions.chooseProfile}
          onQuit={actions.quit}
        />
      );
    case 'profiles':
      return (
        <ProfilesScreen
          current={state.current}
          profiles={state.profiles}
          checkName={(name) => actions.session.checkProfileName(name)}
          onChoose={actions.switchProfile}
          onBack={actions.cancel}
        />
      );
    case 'error':
      return <ErrorScreen error={state.error} onRetry={actions.retry} onQuit={actions.quit} />;
  }
}

async function copyAccessToken(session: FlowActions['session'], props: AppProps): Promise<string> {
  const copied = await props.copy(await session.accessToken());
  return `Access token ${copied.hint}.`;
}

/** A down-scoped token for a browser Viewer: copied, never shown. */
async function copyViewerToken(session: FlowActions['session'], props: AppProps): Promise<string> {
  const token = await session.downscopedToken(['viewables:read']);
  const copied = await props.copy(token.accessToken);
  const left = formatDuration(token.expiresAt - props.now());
  return `A ${token.scopes.join(' ')} token (for the Viewer; expires in ${left}) ${copied.hint}.`;
}
