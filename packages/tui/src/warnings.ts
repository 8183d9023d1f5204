import { useEffect, useState } from 'react';
import { printable } from './text.js';

/** Core's warnings (`SECRET_WITHHELD`, `DOTENV_HOME_IGNORED`, ...) on their way from the session to the screen. */
export interface WarningFeed {
  push(warning: { code: string; message: string }): void;
  subscribe(listener: (messages: readonly string[]) => void): () => void;
}

const KEPT = 3;

/** Keeps the last few distinct warnings (control characters removed) and tells the screen. */
export function createWarningFeed(): WarningFeed {
  let messages: string[] = [];
  const listeners = new Set<(messages: readonly string[]) => void>();
  return {
    push({ message }) {
      const text = printable(message, 300);
      messages = [...messages.filter((m) => m !== text), text].slice(-KEPT);
      for (const listener of listeners) listener(messages);
    },
    subscribe(listener) {
      listeners.add(listener);
      listener(messages);
      return () => listeners.delete(listener);
    },
  };
}

/** The warnings to show (none without a feed). */
export function useWarnings(feed: WarningFeed | undefined): readonly string[] {
  const [messages, setMessages] = useState<readonly string[]>([]);
  useEffect(() => feed?.subscribe(setMessages), [feed]);
  return messages;
}
