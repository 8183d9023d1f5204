import { Box, Text, useInput } from 'ink';
import type { SessionStatus } from '../session.js';
import { formatDuration, formatSpan, printable } from '../text.js';
import { useTheme } from '../theme.js';

type SignedInStatus = Extract<SessionStatus, { state: 'valid' | 'expiring' }>;

export interface SignedInScreenProps {
  profile: string;
  status: SignedInStatus;
  now: number;
  notice: string | null;
  busy: string | null;
  onRefresh(): void;
  onCopyToken(): void;
  onViewerToken(): void;
  onSignOut(): void;
  onProfiles(): void;
  onQuit(): void;
}

/** Signed in: who, scopes, live countdowns; r c v l p q. */
export function SignedInScreen(props: SignedInScreenProps) {
  const { status } = props;
  const theme = useTheme();
  useInput((input, key) => {
    if (key.escape || input === 'q' || (key.ctrl && input === 'c')) return props.onQuit();
    if (props.busy !== null) return;
    const actions: Record<string, () => void> = {
      r: props.onRefresh,
      c: props.onCopyToken,
      v: props.onViewerToken,
      l: props.onSignOut,
      p: props.onProfiles,
    };
    actions[input]?.();
  });
  const accessLeft = status.accessExpiresAt - props.now;
  const who = status.user === null ? 'unknown (the user profile was not read)' : describeUser(status.user);
  // The clock ticks once a second: a token issued since the last tick is 0 s old, not younger.
  const age = status.refreshIssuedAt === null ? 0 : Math.max(0, props.now - status.refreshIssuedAt);
  const refresh =
    status.refreshIssuedAt === null
      ? 'none stored (sign in again when the access token expires)'
      : `issued ${formatSpan(age)} ago, valid for about ${formatDuration(status.refreshLifetimeMs - age)}`;
  return (
    <Box flexDirection="column">
      <Text bold color={theme.ok}>
        ✓ Signed in · profile "{props.profile}"
      </Text>
      <Text wrap="wrap">User: {who}</Text>
      <Text wrap="wrap">Scopes: {printable(status.scopes.join(' '))}</Text>
      <Text>
        Access token: {accessLeft > 0 ? `expires in ${formatDuration(accessLeft)}` : 'expired'}
        {status.state === 'expiring' && accessLeft > 0 ? ' (refreshed at next use)' : ''}
      </Text>
      <Text wrap="wrap">Refresh token: {refresh}</Text>
      <Box marginTop={1}>
        <Text color={theme.dim} wrap="wrap">
          r refresh · c copy token · v viewer token · l sign out · p profiles · q quit
        </Text>
      </Box>
      {props.busy === null ? null : <Text color={theme.accent}>{props.busy}…</Text>}
      {props.notice === null ? null : <Text wrap="wrap">{props.notice}</Text>}
    </Box>
  );
}

/** What the server says about the user, with control characters removed (it is the server's text). */
function describeUser(user: { name: string | null; email: string | null }): string {
  const name = user.name ?? 'unknown';
  return printable(user.email === null ? name : `${name} <${user.email}>`, 200);
}
