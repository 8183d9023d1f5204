import { type ChildProcess, spawn } from 'node:child_process';

/** How a child process ended, with everything it wrote. */
export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunChildOptions {
  /** The child's whole environment (nothing is inherited); `undefined` values are left out. */
  env: Record<string, string | undefined>;
  cwd?: string | undefined;
  /** Written to the child's stdin, which is then closed. */
  input?: string;
  /** `'ignore'` gives the child no stdin at all; by default it is a pipe (see `input` and `onSpawn`). */
  stdin?: 'pipe' | 'ignore';
  /** Called with the child as soon as it is spawned (to write stdin or send signals later). */
  onSpawn?: (child: ChildProcess) => void;
  /** The child leads a process group of its own (to end it with all it started: `process.kill(-pid)`). */
  detached?: boolean;
}

/** Runs `file` with `args` (no shell) and collects its exit code or signal, stdout and stderr. */
export function runChild(
  file: string,
  args: readonly string[],
  options: RunChildOptions,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.env)) if (value !== undefined) env[name] = value;
    const child = spawn(file, args, {
      env,
      cwd: options.cwd,
      stdio: [options.stdin ?? 'pipe', 'pipe', 'pipe'],
      ...(options.detached ? { detached: true } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (options.input !== undefined) child.stdin?.end(options.input);
    options.onSpawn?.(child);
  });
}

/**
 * Resolves with the first match of `pattern` in what `child` writes to `stream` (all of it so far), or rejects
 * if the child ends first: a wait on an event, not on the clock.
 */
export function waitForOutput(
  child: ChildProcess,
  pattern: RegExp,
  stream: 'stdout' | 'stderr' = 'stderr',
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer | string) => {
      text += String(chunk);
      const match = pattern.exec(text);
      if (match === null) return;
      child[stream]?.off('data', onData);
      child.off('close', onClose);
      resolve(match);
    };
    const onClose = () =>
      reject(new Error(`the child ended before its ${stream} showed ${pattern}:\n${text}`));
    child[stream]?.on('data', onData);
    child.once('close', onClose);
  });
}
