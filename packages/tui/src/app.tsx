import { Text, useApp, useStdout, useWindowSize } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { CopyResult } from './clipboard.js';
import { type FlowDeps, useFlow } from './hooks/use-flow.js';
import { useNow } from './hooks/use-now.js';
import { renderQr } from './qr.js';
import { ErrorScreen } from './screens/error-screen.js';
import { ProfilesScreen } from './screens/profiles-screen.js';
import { SetupScreen } from './screens/setup-screen.js';
import { SignedInScreen } from './screens/signed-in-screen.js';
import { SigningInScreen } from './screens/signing-in-screen.js';
import { formatDuration } from './text.js';
import { createTheme, ThemeContext } from './theme.js';

export interface AppProps extends Omit<FlowDeps, 'onDone'> {
  color: boolean;
  /** OSC 8 for the printed URL (only where the terminal is known to show it). */
  hyperlinks: boolean;
  copy(text: string): Promise<CopyResult>;
  /** Opens the authorize URL again (`o`). */
  openUrl(url: string): Promise<void>;
  onDone(exitCode: number): void;
  /** A signal from outside (SIGINT, SIGTERM, SIGHUP) cancels like Esc. */
  signal?: AbortSignal | undefined;
}

/** The URL on a line of its own, written above Ink's live region: never redrawn, never wrapped by Ink. */
function urlBlock(url: string, hyperlinks: boolean, heading: string): string {
  const shown = hyperlinks ? `\u001B]8;;${url}\u001B\\${url}\u001B]8;;\u001B\\` : url;
  return `\n${heading}\n${shown}\n\n`;
}

export function App(props: AppProps) {
  const { exit } = useApp();
  const { write } = useStdout();
  const { columns, rows } = useWindowSize();
  const [theme] = useState(() => createTheme(props.color));
  const [hint, setHint] = useState<string | null>(null);
  const printed = useRef(0);
  const { state, actions, profile } = useFlow({
    ...props,
    onDone: (code) => {
      props.onDone(code);
      exit();
    },
  });
  const now = useNow(props.now, state.screen === 'signing-in' || state.screen === 'signed-in');

  const cancelRef = useRef(actions.cancel);
  cancelRef.current = actions.cancel;
  useEffect(() => {
    const onAbort = () => cancelRef.current();
    props.signal?.addEventListener('abort', onAbort, { once: true });
    return () => props.signal?.removeEventListener('abort', onAbort);
  }, [props.signal]);

  const url = state.screen === 'signing-in' ? state.url : null;
  const attempt = state.screen === 'signing-in' ? state.attempt : 0;
  useEffect(() => {
    if (url === null || printed.current === attempt) return;
    const heading =
      printed.current === 0
        ? 'Sign in to Autodesk Platform Services at this URL:'
        : 'A new sign-in URL (the previous one no longer works):';
    printed.current = attempt;
    setHint(null);
    write(urlBlock(url, props.hyperlinks, heading));
  }, [url, attempt, write, props.hyperlinks]);

  const report = (work: Promise<string>) =>
    work.then(setHint, (error: unknown) =>
      setHint(`Failed: ${error instanceof Error ? error.message : String(error)}`),
    );

  let screen: React.JSX.Element;
  switch (state.screen) {
    case 'loading':
      screen = <Text>Loading the configuration…</Text>;
      break;
    case 'done':
      screen = <Text wrap="wrap">{state.summary}</Text>;
      break;
    case 'setup':
      screen = (
        <SetupScreen
          setup={state.setup}
          notice={state.notice}
          validate={(input) => actions.session.validate(input)}
          onSubmit={(input) => actions.signIn(input)}
          onCancel={actions.cancel}
        />
      );
      break;
    case 'signing-in':
      screen = (
        <SigningInScreen
          state={state}
          profile={profile}
          now={now}
          hint={hint}
          onOpen={() => report(props.openUrl(state.url!).then(() => 'Opened the browser again.'))}
          onCopy={() => report(props.copy(state.url!).then((r) => `URL ${r.hint}.`))}
          onShowQr={() => {
            const qr = renderQr(state.url!);
            if (qr.width > columns) {
              setHint(
                `The terminal is too narrow for the QR code: it needs ${qr.width} columns (it has ${columns}).`,
              );
              return;
            }
            const tall = qr.lines.length + 4 > rows ? ' (scroll up to see all of it)' : '';
            write(`\n${qr.lines.join('\n')}\n${urlBlock(state.url!, props.hyperlinks, 'The same URL:')}`);
            setHint(`QR code printed above${tall}.`);
          }}
          onManual={actions.switchToManual}
          onPaste={actions.paste}
          onCancel={actions.cancel}
        />
      );
      break;
    case 'signed-in':
      if (state.status.state !== 'valid' && state.status.state !== 'expiring') {
        screen = <Text>Not signed in.</Text>;
        break;
      }
      screen = (
        <SignedInScreen
          profile={state.profile}
          status={state.status}
          now={now}
          notice={state.notice}
          busy={state.busy}
          onRefresh={actions.refresh}
          onCopyToken={() =>
            actions.run('Copying the access token', async (s) => {
              const copied = await props.copy(await s.accessToken());
              return `Access token ${copied.hint}.`;
            })
          }
          onViewerToken={() =>
            actions.run('Getting a viewables:read token', async (s) => {
              const token = await s.downscopedToken(['viewables:read']);
              const copied = await props.copy(token.accessToken);
              return `A ${token.scopes.join(' ')} token (for the Viewer; expires in ${formatDuration(
                token.expiresAt - props.now(),
              )}) ${copied.hint}.`;
            })
          }
          onSignOut={actions.signOut}
          onProfiles={actions.chooseProfile}
          onQuit={actions.quit}
        />
      );
      break;
    case 'profiles':
      screen = (
        <ProfilesScreen
          current={state.current}
          profiles={state.profiles}
          checkName={(name) => actions.session.checkProfileName(name)}
          onChoose={actions.switchProfile}
          onBack={actions.cancel}
        />
      );
      break;
    case 'error':
      screen = <ErrorScreen error={state.error} onRetry={actions.retry} onQuit={actions.quit} />;
      break;
  }
  return <ThemeContext.Provider value={theme}>{screen}</ThemeContext.Provider>;
}
