#!/usr/bin/env node
// The only place that ends the process. It enables Node's compile cache before the CLI's code loads, routes
// signals (first Ctrl+C cancels, a second one exits; `exec` forwards them to its child), and exits with the
// code the command returned (src/exit-codes.ts).
import type { CommandResult } from './io.js';

// process.getBuiltinModule, not `import`: an ESM facade of a built-in costs start-up time. (Node 22.0-22.2
// lack it: they start without the compile cache, and know the common signal numbers only.)
process.getBuiltinModule?.('node:module').enableCompileCache?.();
const signalNumbers: Partial<Record<string, number>> = process.getBuiltinModule?.('node:os').constants
  .signals ?? {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGABRT: 6,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGTERM: 15,
};

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const controller = new AbortController();
const forwarders = new Set<(signal: NodeJS.Signals) => void>();
for (const name of FORWARDED) {
  process.on(name, () => {
    if (forwarders.size > 0) {
      for (const forward of forwarders) forward(name);
      return;
    }
    if (controller.signal.aborted) process.exit(128 + (signalNumbers[name] ?? 2));
    controller.abort();
  });
}

function exit(result: CommandResult): never {
  if (typeof result === 'number') process.exit(result);
  // The child of `exec` died of a signal: die of the same one (default action), else 128 + its number.
  for (const name of FORWARDED) process.removeAllListeners(name);
  process.kill(process.pid, result.signal);
  process.exit(128 + (signalNumbers[result.signal] ?? 0));
}

void Promise.all([import('./main.js'), import('./io.js')]).then(async ([{ main }, { processIo }]) =>
  exit(
    await main(process.argv.slice(2), {
      io: processIo(),
      signal: controller.signal,
      onSignal(handler) {
        forwarders.add(handler);
        return () => forwarders.delete(handler);
      },
    }),
  ),
);
