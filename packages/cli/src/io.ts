import type { SetTimer } from '@aps-auth/core';
/** Where a command reads and writes: injected so tests run commands in process with captured streams. */
export interface Io {
  /** Data only: a token, one JSON document, a table. */
  stdout: { write(text: string): unknown };
  /**
   * Progress, prompts, the authorize URL, warnings and errors: text for people, which the process's writer
   * strips of escape sequences and control and format characters (`stripControls`), wherever it came from.
   * `writeControl`, where present, writes the CLI's own terminal controls (the spinner's) as they are.
   */
  stderr: { write(text: string): unknown; writeControl?(sequence: string): unknown };
  stdin: NodeJS.ReadableStream;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
}

import { stripControls } from './terminal-text.js';

type Fs = typeof import('node:fs');

/**
 * Synchronous writes to a file descriptor: nothing is lost at `process.exit`, stdout and stderr keep their
 * order, and neither `process.stdout` nor `process.stderr` is created (each sets up a stream at start-up).
 */
function fdWriter(fs: Fs, fd: number): Io['stdout'] {
  return {
    write(text: string) {
      const bytes = Buffer.from(text);
      let offset = 0;
      while (offset < bytes.length) {
        try {
          offset += fs.writeSync(fd, bytes, offset);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') continue; // a non-blocking pipe is full: try again
          if (code === 'EPIPE') return; // the reader is gone (`aps-auth status | head -1`)
          throw error;
        }
      }
      return true;
    },
  };
}

/** Stderr for people: what is written is stripped of terminal controls; `writeControl` is the raw channel. */
function textWriter(raw: Io['stdout']): Io['stderr'] {
  return {
    write: (text: string) => raw.write(stripControls(text)),
    writeControl: (sequence: string) => raw.write(sequence),
  };
}

export function processIo(): Io {
  const fs = process.getBuiltinModule?.('node:fs');
  // Never touch process.stdin/stdout/stderr unless needed: each getter sets up a stream.
  const isatty = (fd: 0 | 1 | 2) =>
    process.getBuiltinModule === undefined
      ? (fd === 0 ? process.stdin : fd === 1 ? process.stdout : process.stderr).isTTY === true
      : process.getBuiltinModule('node:tty').isatty(fd);
  return {
    stdout: fs === undefined ? process.stdout : fdWriter(fs, 1),
    stderr: textWriter(fs === undefined ? process.stderr : fdWriter(fs, 2)),
    // Created on first use only: `aps-auth token` never reads stdin.
    get stdin() {
      return process.stdin;
    },
    get stdoutIsTTY() {
      return isatty(1);
    },
    get stderrIsTTY() {
      return isatty(2);
    },
    get stdinIsTTY() {
      return isatty(0);
    },
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
  /** Starts every timeout (core's `SetTimer`: the requests' and the sign-in's); replaces `setTimeout` (tests). */
  setTimer?: SetTimer | undefined;
}

/** A command's outcome: an exit code, or a signal to end with (`exec` passing its child's signal on). */
export type CommandResult = number | { signal: NodeJS.Signals };
