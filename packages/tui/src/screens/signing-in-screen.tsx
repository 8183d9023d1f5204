import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { TextField } from '../components/text-field.js';
import type { SigningIn } from '../flow.js';
import type { RelayQr } from '../hooks/use-url-printer.js';
import { formatDuration } from '../text.js';
import { useTheme } from '../theme.js';

export interface SigningInScreenProps {
  state: SigningIn;
  profile: string;
  now: number;
  /** The last copy or open result, said under the keys. */
  hint: string | null;
  /** Relay mode (`--relay`): the relay's origin. */
  relay?: string | undefined;
  /** Relay mode: whether a browser could open here (`o`): not with `--no-open`, not over SSH. */
  canOpen?: boolean | undefined;
  /** Relay mode: what became of the QR code printed with the URL (printed, or the terminal is too narrow). */
  qr?: RelayQr | null | undefined;
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
  if (state.mode === 'relay') return <RelaySigningIn {...props} />;
  return <LocalSigningIn {...props} />;
}

function LocalSigningIn(props: SigningInScreenProps) {
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
          : state.startLink
            ? 'Open the link printed above in a browser on this machine (on another device: m, then s for a QR code).'
            : 'Open the URL printed above in a browser (on any device: s for a QR code).'}
      </Text>
      {state.browser === 'opened' && !manual ? (
        <Text color={theme.dim}>The browser was opened at it.</Text>
      ) : null}
      {state.browser === 'failed' && !manual ? (
        <Text color={theme.warn}>The browser could not be opened: open the URL yourself, or press m.</Text>
      ) : null}
      <Text>
        {waiting} <TimeLeft ms={left} />
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
      <KeysAndHint keys={keys} hint={props.hint} />
    </Box>
  );
}

const RELAY_PHASES: Record<SigningIn['phase'], string> = {
  starting: 'Pairing with the relay…',
  waiting: 'Waiting for the sign-in through the relay…',
  exchanging: 'Signed in at APS; fetching the token here…',
};

/**
 * Signing in through the relay: the URL and its QR code are printed above for any device; this terminal waits
 * for the relay (core does), so there is nothing to paste. `o` only where a browser could open here.
 */
function RelaySigningIn(props: SigningInScreenProps) {
  const { state, qr } = props;
  const theme = useTheme();
  const canOpen = props.canOpen === true;
  useInput((input, key) => {
    if (key.escape || (key.ctrl && input === 'c')) return props.onCancel();
    if (state.url === null) return;
    if (input === 'o' && canOpen) props.onOpen();
    else if (input === 'c') props.onCopy();
    else if (input === 's') props.onShowQr();
  });
  const left = state.startedAt + state.timeoutMs - props.now;
  const keys = [
    canOpen ? "o open it in this machine's browser" : null,
    'c copy the URL',
    's print the QR code again',
    'Esc cancel',
  ].filter((k) => k !== null);
  const printed =
    qr?.printed === true ? `, under its QR code${qr.scroll ? ' (scroll up to see all of it)' : ''}` : '';
  return (
    <Box flexDirection="column">
      <Text bold color={theme.accent}>
        aps-auth · signing in through the relay (profile "{props.profile}")
      </Text>
      <Text color={theme.dim}>relay: {props.relay}</Text>
      {state.url === null ? null : (
        <Text wrap="wrap">
          The URL is printed above{printed}. Open this on any device (phone or another computer) and sign in;
          this terminal finishes by itself.
        </Text>
      )}
      {qr?.printed === false ? (
        <Text color={theme.warn} wrap="wrap">
          {qr.tooNarrow}
        </Text>
      ) : null}
      <Text>
        {state.url === null ? RELAY_PHASES.starting : RELAY_PHASES[state.phase]} <TimeLeft ms={left} />
      </Text>
      <KeysAndHint keys={keys} hint={props.hint} />
    </Box>
  );
}

/** The countdown to core's timeout, in the warning colour in its last minute. */
function TimeLeft(props: { ms: number }) {
  const theme = useTheme();
  return (
    <Text color={props.ms < 60_000 ? theme.warn : theme.dim}>(time left: {formatDuration(props.ms)})</Text>
  );
}

/** The keys of a signing-in screen, and the last copy or open result under them. */
function KeysAndHint(props: { keys: string[]; hint: string | null }) {
  const theme = useTheme();
  return (
    <>
      <Box marginTop={1}>
        <Text color={theme.dim} wrap="wrap">
          {props.keys.join(' · ')}
        </Text>
      </Box>
      {props.hint === null ? null : <Text wrap="wrap">{props.hint}</Text>}
    </>
  );
}
