import { Box, Text, useInput, usePaste } from 'ink';
import { isEnter } from '../keys.js';
import { printable } from '../text.js';
import { useTheme } from '../theme.js';

export interface TextFieldProps {
  label: string;
  value: string;
  focused: boolean;
  onChange(value: string): void;
  onSubmit?(value: string): void;
  /** Shown instead of the value (a secret): one `•` per character, never the characters. */
  mask?: boolean;
  placeholder?: string;
  /** Where the value came from, or a hint. */
  note?: string | undefined;
  problem?: { message: string; severity: 'error' | 'note' } | undefined;
  /** Single keys that are shortcuts while the field is empty (they do not type). */
  shortcutsWhenEmpty?: string;
}

/** Keeps only printable text of a key press or a paste (no control characters: they would drive the terminal). */
function typedText(input: string): string {
  return input.replace(/[\p{Cc}\p{Cf}]/gu, '');
}

/** A one-line text input: typing and pasting append, Backspace deletes, Enter submits. */
export function TextField(props: TextFieldProps) {
  const theme = useTheme();
  useInput(
    (input, key) => {
      if (isEnter(input, key)) {
        props.onSubmit?.(props.value);
        return;
      }
      if (key.backspace || key.delete) {
        props.onChange(props.value.slice(0, -1));
        return;
      }
      if (key.ctrl || key.meta || key.escape || key.tab || key.upArrow || key.downArrow) return;
      if (props.value === '' && input.length === 1 && props.shortcutsWhenEmpty?.includes(input)) return;
      // A paste may end with a newline: the text before it, then submit.
      const lineEnd = input.search(/[\r\n]/);
      const text = typedText(lineEnd === -1 ? input : input.slice(0, lineEnd));
      const next = props.value + text;
      if (text !== '') props.onChange(next);
      if (lineEnd !== -1) props.onSubmit?.(next);
    },
    { isActive: props.focused },
  );
  // A prefilled value may come from a `.env` of any repository: shown without control characters.
  // Bracketed paste (enabled while a field is focused): a paste arrives whole, never as key presses, so a
  // pasted URL cannot trigger a shortcut; line breaks in it are dropped (Enter submits).
  usePaste(
    (text) => {
      const clean = typedText(text.replace(/[\r\n]+/g, ''));
      if (clean !== '') props.onChange(props.value + clean);
    },
    { isActive: props.focused },
  );
  const shown = props.mask ? '•'.repeat(props.value.length) : printable(props.value, 2000);
  return (
    <Box flexDirection="column">
      <Box>
        {/* The label keeps its width; a long value wraps beside it. */}
        <Box flexShrink={0}>
          <Text bold={props.focused} color={props.focused ? theme.accent : undefined}>
            {props.focused ? '› ' : '  '}
            {props.label}:{' '}
          </Text>
        </Box>
        <Text wrap="wrap">
          {shown === '' ? <Text color={theme.dim}>{props.placeholder ?? ''}</Text> : shown}
          {props.focused ? <Text inverse> </Text> : null}
        </Text>
      </Box>
      {props.note === undefined ? null : (
        <Text color={theme.dim} wrap="wrap">
          {'    '}
          {props.note}
        </Text>
      )}
      {props.problem === undefined ? null : (
        <Text color={props.problem.severity === 'error' ? theme.error : theme.warn} wrap="wrap">
          {'    '}
          {props.problem.severity === 'error' ? '✗ ' : '! '}
          {props.problem.message}
        </Text>
      )}
    </Box>
  );
}
