import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { TextField } from '../components/text-field.js';
import { isEnter } from '../keys.js';
import type { FieldProblem } from '../session.js';
import { useTheme } from '../theme.js';

export interface ProfilesScreenProps {
  current: string;
  profiles: { name: string; signedIn: boolean }[] | null;
  checkName(name: string): FieldProblem | undefined;
  onChoose(name: string): void;
  onBack(): void;
}

/** Switch to a saved profile (↑/↓, Enter) or add one (type its name, Enter). */
export function ProfilesScreen(props: ProfilesScreenProps) {
  const theme = useTheme();
  const list = props.profiles ?? [];
  const [cursor, setCursor] = useState(
    Math.max(
      0,
      list.findIndex((p) => p.name === props.current),
    ),
  );
  const [typed, setTyped] = useState('');
  useInput((input, key) => {
    if (key.escape) props.onBack();
    else if (typed !== '' || list.length === 0) return;
    else if (key.upArrow) setCursor((c) => (c + list.length - 1) % list.length);
    else if (key.downArrow) setCursor((c) => (c + 1) % list.length);
    else if (isEnter(input, key) && list[cursor] !== undefined) props.onChoose(list[cursor].name);
  });
  const problem = typed === '' ? undefined : props.checkName(typed);
  return (
    <Box flexDirection="column">
      <Text bold color={theme.accent}>
        aps-auth · profiles
      </Text>
      {props.profiles === null ? <Text>Reading the saved profiles…</Text> : null}
      {list.map((profile, index) => (
        <Text key={profile.name} inverse={typed === '' && index === cursor}>
          {profile.name === props.current ? '* ' : '  '}
          {profile.name}
          {profile.signedIn ? ' (signed in)' : ''}
        </Text>
      ))}
      <TextField
        label="New profile"
        value={typed}
        focused
        onChange={setTyped}
        onSubmit={(name) => {
          if (name !== '' && props.checkName(name) === undefined) props.onChoose(name);
        }}
        placeholder="type a name to add one"
        problem={problem}
      />
      <Text color={theme.dim}>↑/↓ choose · Enter switch · Esc back</Text>
    </Box>
  );
}
