/** Where a command reads and writes: injected so tests run commands in process with captured streams. */
export interface Io {
  /** Data only: a token, one JSON document, a table. */
  stdout: { write(text: string): unknown };
  /** Progress, prompts, the authorize URL, warnings and errors. */
  stderr: { write(text: string): unknown };
  stdin: NodeJS.ReadableStream;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
}

export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    stdinIsTTY: process.stdin.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** What `run` gets besides its options. */
export interface RunDeps {
  io: Io;
  /** Fires on the first Ctrl+C (SIGINT) or SIGTERM/SIGHUP: long waits (login, doctor) end cleanly. */
  signal: AbortSignal;
  /**
   * Routes SIGINT/SIGTERM/SIGHUP to `handler` instead of the default cancellation while it is registered
   * (`exec` forwards them to its child). Returns the function that unregisters it.
   */
  onSignal(handler: (signal: NodeJS.Signals) => void): () => void;
  /** Opens the authorize URL; replaces the default browser (tests, benchmarks). */
  openUrl?: ((url: string) => Promise<void>) | undefined;
  /** The clock, milliseconds. */
  now?: (() => number) | undefined;
}

/** A command's outcome: an exit code, or a signal to end with (`exec` passing its child's signal on). */
export type CommandResult = number | { signal: NodeJS.Signals };
