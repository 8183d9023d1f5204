import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { isEnter } from '../keys.js';
import { KNOWN_SCOPES } from '../scopes.js';
import { useTheme } from '../theme.js';

export interface ScopePickerProps {
  picked: ReadonlySet<string>;
  focused: boolean;
  onToggle(scope: string): void;
  onSubmit(): void;
}

/** The known APS scopes, several at a time: ←/→ move, Space toggles, Enter goes on. */
export function ScopePicker(props: ScopePickerProps) {
  const theme = useTheme();
  const [cursor, setCursor] = useState(0);
  useInput(
    (input, key) => {
      if (key.leftArrow) setCursor((c) => (c + KNOWN_SCOPES.length - 1) % KNOWN_SCOPES.length);
      else if (key.rightArrow) setCursor((c) => (c + 1) % KNOWN_SCOPES.length);
      else if (input === ' ') props.onToggle(KNOWN_SCOPES[cursor]!);
      else if (isEnter(input, key)) props.onSubmit();
    },
    { isActive: props.focused },
  );
  return (
    <Box flexDirection="column">
      <Text bold={props.focused} color={props.focused ? theme.accent : undefined}>
        {props.focused ? '› ' : '  '}Scopes{props.focused ? ' (←/→ move, Space toggles)' : ''}:
      </Text>
      <Box flexWrap="wrap" paddingLeft={4}>
        {KNOWN_SCOPES.map((scope, index) => {
          const on = props.picked.has(scope);
          const here = props.focused && index === cursor;
          return (
            <Box key={scope} marginRight={1}>
              <Text inverse={here} color={on ? theme.ok : theme.dim}>
                {on ? '[x]' : '[ ]'} {scope}
              </Text>
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}
