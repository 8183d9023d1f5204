import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { TextField } from '../components/text-field.js';
import type { SigningIn } from '../flow.js';
import { formatDuration } from '../text.js';
import { useTheme } from '../theme.js';

export interface SigningInScreenProps {
  state: SigningIn;
  profile: string;
  now: number;
  /** The last copy or open result, said under the keys. */
  hint: string | null;
  onOpen(): void;
  onCopy(): void;
  onShowQr(): void;
  onManual(): void;
  onPaste(line: string): void;
  onCancel(): void;
}

const PHASES: Record<SigningIn['phase'], string> = {
  starting: 'Preparing the sign-in…',
  waiting: 'Waiting for you to sign in in the browser…',
  exchanging: 'Signed in at APS; fetching the token…',
};

/** Signing in: the URL is printed above (whole, never redrawn); here the countdown, the keys, manual mode. */
export function SigningInScreen(props: SigningInScreenProps) {
  const { state } = props;
  const theme = useTheme();
  const [pasted, setPasted] = useState('');
  const manual = state.mode === 'manual';
  const shortcutsLive = !manual || pasted === '';
  useInput((input, key) => {
    if (key.escape || (key.ctrl && input === 'c')) return props.onCancel();
    if (!shortcutsLive || state.url === null) return;
    if (input === 'o' && !manual) props.onOpen();
    else if (input === 'c') props.onCopy();
    else if (input === 's') props.onShowQr();
    else if (input === 'm' && !manual) props.onManual();
  });
  const left = state.startedAt + state.timeoutMs - props.now;
  const waiting =
    manual && state.phase !== 'exchanging' ? 'Waiting for the redirected URL…' : PHASES[state.phase];
  const keys = [
    manual ? null : 'o open the browser again',
    'c copy the URL',
    's show a QR code',
    manual ? null : 'm paste the redirected URL instead',
    'Esc cancel',
  ].filter((k) => k !== null);
  return (
    <Box flexDirection="column">
      <Text bold color={theme.accent}>
        aps-auth · signing in (profile "{props.profile}")
      </Text>
      <Text>
        {state.url === null
          ? PHASES.starting
          : 'Open the URL printed above in a browser (on any device: s for a QR code).'}
      </Text>
      {state.browser === 'opened' && !manual ? (
        <Text color={theme.dim}>The browser was opened at it.</Text>
      ) : null}
      {state.browser === 'failed' && !manual ? (
        <Text color={theme.warn}>The browser could not be opened: open the URL yourself, or press m.</Text>
      ) : null}
      <Text>
        {waiting}{' '}
        <Text color={left < 60_000 ? theme.warn : theme.dim}>(time left: {formatDuration(left)})</Text>
      </Text>
      {manual ? (
        <Box flexDirection="column" marginTop={1}>
          <Text wrap="wrap">
            After signing in, the browser goes to the callback URL (the page may fail to load): copy that
            address from the address bar and paste it here, then Enter.
          </Text>
          <TextField
            label="Redirected URL"
            value={pasted}
            focused
            onChange={setPasted}
            onSubmit={(line) => {
              props.onPaste(line);
              setPasted('');
            }}
            shortcutsWhenEmpty="cs"
          />
        </Box>
      ) : null}
      {state.refusal === null ? null : (
        <Text color={theme.warn} wrap="wrap">
          {state.refusal}
        </Text>
      )}
      <Box marginTop={1}>
        <Text color={theme.dim} wrap="wrap">
          {keys.join(' · ')}
        </Text>
      </Box>
      {props.hint === null ? null : <Text wrap="wrap">{props.hint}</Text>}
    </Box>
  );
}
