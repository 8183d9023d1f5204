import { CliError } from './errors.js';
import { ExitCode } from './exit-codes.js';

export interface LineReader {
  /** The next non-empty line, or `null` once the input has ended. Rejects (exit 4) when `signal` fires. */
  readLine(): Promise<string | null>;
  close(): void;
}

/** Lines from `input` (stdin for `login --manual`), buffered so that none is lost between two reads. */
export async function createLineReader(
  input: NodeJS.ReadableStream,
  signal?: AbortSignal,
): Promise<LineReader> {
  // Loaded here, not imported: only `login --manual` reads lines.
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input, terminal: false });
  const lines: string[] = [];
  let ended = false;
  let waiter: (() => void) | undefined;
  const wake = () => {
    const w = waiter;
    waiter = undefined;
    w?.();
  };
  rl.on('line', (line) => {
    if (line.trim() !== '') lines.push(line.trim());
    wake();
  });
  rl.on('close', () => {
    ended = true;
    wake();
  });
  signal?.addEventListener('abort', wake, { once: true });
  return {
    async readLine() {
      for (;;) {
        if (signal?.aborted) throw new CliError('Cancelled.', ExitCode.CANCELLED);
        const line = lines.shift();
        if (line !== undefined) return line;
        if (ended) return null;
        await new Promise<void>((resolve) => {
          waiter = resolve;
        });
      }
    },
    close() {
      signal?.removeEventListener('abort', wake);
      rl.close();
    },
  };
}
