import { Box, Text, useInput } from 'ink';
import { useMemo, useState } from 'react';
import { ScopePicker } from '../components/scope-picker.js';
import { TextField } from '../components/text-field.js';
import { isEnter } from '../keys.js';
import { combineScopes, separateScopes } from '../scopes.js';
import type { FieldProblem, FieldSource, Setup, SetupFieldName, SetupInput } from '../session.js';
import { useTheme } from '../theme.js';

export interface SetupScreenProps {
  setup: Setup;
  notice: string | null;
  /** `--relay`: the relay the sign-in goes through (its `/relay` is the redirect URI, not the callback URL). */
  relay?: string | undefined;
  validate(input: SetupInput): Partial<Record<SetupFieldName, FieldProblem>>;
  onSubmit(input: SetupInput): void;
  onCancel(): void;
}

const FIELDS = ['clientId', 'clientSecret', 'callbackUrl', 'scopes', 'moreScopes', 'submit'] as const;
type Focus = (typeof FIELDS)[number];

export function describeSource(source: FieldSource, setup: Setup): string {
  switch (source) {
    case 'flag':
      return 'from the command line';
    case 'env':
      return 'from the environment';
    case 'dotenv':
      return `from ${setup.dotenvPath ?? '.env'}`;
    case 'profile':
      return `saved in profile "${setup.profile}"`;
    case 'typed':
      return 'typed here';
    default:
      return 'default';
  }
}

/** Set-up: prefilled fields, each with its source and core's verdict as typed. */
export function SetupScreen(props: SetupScreenProps) {
  const { setup } = props;
  const theme = useTheme();
  const initialScopes = useMemo(() => separateScopes(setup.scopes.value), [setup]);
  const [clientId, setClientId] = useState(setup.clientId.value);
  const [secret, setSecret] = useState('');
  const [callbackUrl, setCallbackUrl] = useState(setup.callbackUrl.value);
  const [picked, setPicked] = useState<Set<string>>(initialScopes.picked);
  const [moreScopes, setMoreScopes] = useState(initialScopes.typed);
  const [focus, setFocus] = useState<Focus>(setup.clientId.value === '' ? 'clientId' : 'submit');

  const input: SetupInput = {
    clientId: clientId.trim(),
    ...(secret === '' ? {} : { clientSecret: secret }),
    callbackUrl: callbackUrl.trim(),
    scopes: combineScopes(picked, moreScopes),
  };
  const problems = props.validate(input);
  const blocking = Object.values(problems).some((problem) => problem?.severity === 'error');
  const move = (step: number) =>
    setFocus((f) => FIELDS[(FIELDS.indexOf(f) + step + FIELDS.length) % FIELDS.length]!);
  const next = () => move(1);

  useInput((inputKey, key) => {
    if (key.escape || (key.ctrl && inputKey === 'c')) props.onCancel();
    else if (key.downArrow || (key.tab && !key.shift)) move(1);
    else if (key.upArrow || (key.tab && key.shift)) move(-1);
    else if (focus === 'submit' && isEnter(inputKey, key) && !blocking) props.onSubmit(input);
  });

  const source = (field: 'clientId' | 'callbackUrl', value: string) =>
    describeSource(value === setup[field].value ? setup[field].source : 'typed', setup);
  const secretNote =
    secret !== ''
      ? 'typed here (replaces the configured one)'
      : setup.clientSecret.present
        ? `configured, ${describeSource(setup.clientSecret.source, setup)} (type to replace)`
        : 'none: a public app (PKCE only); type one for a confidential app';
  const scopesSame = input.scopes.join(' ') === setup.scopes.value.join(' ');

  return (
    <Box flexDirection="column">
      <Text bold color={theme.accent}>
        aps-auth · set up profile "{setup.profile}"
      </Text>
      <Text color={theme.dim}>server: {setup.baseUrl.value}</Text>
      {props.relay === undefined ? null : (
        <Text color={theme.dim} wrap="wrap">
          relay: {props.relay} (the sign-in comes back through {props.relay}/relay, which must be registered
          as a callback URL of the app; the callback URL below is only kept in the profile)
        </Text>
      )}
      {props.notice === null ? null : <Text color={theme.warn}>{props.notice}</Text>}
      <TextField
        label="Client id"
        value={clientId}
        focused={focus === 'clientId'}
        onChange={setClientId}
        onSubmit={next}
        placeholder="the APS app's client id"
        note={source('clientId', clientId)}
        problem={problems.clientId}
      />
      <TextField
        label="Client secret"
        value={secret}
        mask
        focused={focus === 'clientSecret'}
        onChange={setSecret}
        onSubmit={next}
        note={secretNote}
        problem={problems.clientSecret}
      />
      <TextField
        label="Callback URL"
        value={callbackUrl}
        focused={focus === 'callbackUrl'}
        onChange={setCallbackUrl}
        onSubmit={next}
        note={source('callbackUrl', callbackUrl)}
        problem={problems.callbackUrl}
      />
      <ScopePicker
        picked={picked}
        focused={focus === 'scopes'}
        onToggle={(scope) =>
          setPicked((old) => {
            const copy = new Set(old);
            if (copy.has(scope)) copy.delete(scope);
            else copy.add(scope);
            return copy;
          })
        }
        onSubmit={next}
      />
      <TextField
        label="More scopes"
        value={moreScopes}
        focused={focus === 'moreScopes'}
        onChange={setMoreScopes}
        onSubmit={next}
        placeholder="any other scopes, space separated"
        note={`scopes: ${input.scopes.join(' ') || '(none)'} · ${describeSource(scopesSame ? setup.scopes.source : 'typed', setup)}`}
        problem={problems.scopes}
      />
      <Box marginTop={1}>
        <Text>{focus === 'submit' ? '› ' : '  '}</Text>
        <Text bold={focus === 'submit'} inverse={focus === 'submit'} color={blocking ? theme.dim : theme.ok}>
          {blocking ? ' Sign in (fix the fields marked ✗) ' : ' Sign in ⏎ '}
        </Text>
      </Box>
      <Text color={theme.dim}>↑/↓ or Tab move · Enter next · Esc cancel (nothing is saved)</Text>
    </Box>
  );
}
