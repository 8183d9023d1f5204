import type { Key } from 'ink';

/**
 * Enter, however it arrives: a carriage return in raw mode (`key.return`), or a line feed when the key was
 * pressed before the TUI put the terminal in raw mode (the line discipline turns it into `\n`, which Ink names
 * `enter`, not `return`). A key pressed while the first screen appears must not be lost.
 */
export function isEnter(input: string, key: Key): boolean {
  return key.return || input === '\n';
}
