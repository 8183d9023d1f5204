#!/usr/bin/env node
// The only place that ends the process: refuses without a terminal (exit 2), routes signals (the first cancels
// like Esc, a second one exits at once), and exits with the code the TUI ended with (src/exit-codes.ts).
import { parseTuiArgs, UsageError, usage } from './args.js';
import { ExitCode } from './exit-codes.js';

process.getBuiltinModule?.('node:module').enableCompileCache?.();

const controller = new AbortController();
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(name, () => {
    if (controller.signal.aborted) process.exit(128 + (name === 'SIGHUP' ? 1 : name === 'SIGINT' ? 2 : 15));
    controller.abort();
  });
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseTuiArgs>;
  try {
    options = parseTuiArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`aps-auth-tui: ${error.message}\nRun 'aps-auth-tui --help' for usage.\n`);
    return ExitCode.USAGE;
  }
  if (options.command === 'help') {
    process.stdout.write(usage);
    return ExitCode.OK;
  }
  if (options.command === 'version') {
    const { VERSION } = await import('./version.js');
    process.stdout.write(`${VERSION}\n`);
    return ExitCode.OK;
  }
  if (process.stdin.isTTY !== true || process.stdout.isTTY !== true) {
    process.stderr.write(
      'aps-auth-tui: needs a terminal (stdin and stdout are not both a TTY). In scripts and pipes, sign in with ' +
        "'aps-auth login' (or 'aps-auth login --manual' to paste the redirected URL).\n",
    );
    return ExitCode.USAGE;
  }
  const { loadInk } = await import('./load-ink.js');
  await loadInk();
  const { runTui } = await import('./main.js');
  return runTui(options, {
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    stdout: process.stdout,
    signal: controller.signal,
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`aps-auth-tui: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(ExitCode.ERROR);
  },
);
