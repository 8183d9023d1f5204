import { Box, Text, useInput } from 'ink';
import type { ErrorView } from '../errors.js';
import { useTheme } from '../theme.js';

export interface ErrorScreenProps {
  error: ErrorView;
  onRetry(): void;
  onQuit(): void;
}

/** An error: core's code, its message, what to do next; r retries, q (or Esc) quits with the error's exit code. */
export function ErrorScreen(props: ErrorScreenProps) {
  const theme = useTheme();
  useInput((input, key) => {
    if (input === 'r') props.onRetry();
    else if (input === 'q' || key.escape || (key.ctrl && input === 'c')) props.onQuit();
  });
  return (
    <Box flexDirection="column">
      <Text bold color={theme.error}>
        ✗ {props.error.code}
      </Text>
      <Text wrap="wrap">{props.error.message}</Text>
      <Box marginTop={1}>
        <Text wrap="wrap">Next: {props.error.nextStep}</Text>
      </Box>
      <Text color={theme.dim}>r retry · q quit</Text>
    </Box>
  );
}
