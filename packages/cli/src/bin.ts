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
// Passed on to `exec`'s child only, never a cancellation. A listener for SIGUSR1 also keeps Node from opening
// its inspector (a debugger port into the process that holds the token) on `kill -USR1`; SIGUSR2 and SIGQUIT
// keep their default action unless a child is running.
const PASSED_ON = ['SIGUSR1', 'SIGUSR2', 'SIGQUIT'] as const;
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
const passOn = (name: NodeJS.Signals) => {
  for (const forward of forwarders) forward(name);
};
process.on('SIGUSR1', passOn);

function exit(result: CommandResult): never {
  if (typeof result === 'number') process.exit(result);
  // The child of `exec` died of a signal: die of the same one (default action), else 128 + its number.
  // SIGUSR1's default action in Node opens the inspector instead of ending the process: not re-raised.
  if (result.signal !== 'SIGUSR1') {
    for (const name of [...FORWARDED, ...PASSED_ON]) process.removeAllListeners(name);
    process.kill(process.pid, result.signal);
  }
  process.exit(128 + (signalNumbers[result.signal] ?? 0));
}

void Promise.all([import('./main.js'), import('./io.js')]).then(async ([{ main }, { processIo }]) =>
  exit(
    await main(process.argv.slice(2), {
      io: processIo(),
      signal: controller.signal,
      onSignal(handler) {
        forwarders.add(handler);
        if (forwarders.size === 1) {
          process.on('SIGUSR2', passOn);
          process.on('SIGQUIT', passOn);
        }
        return () => {
          forwarders.delete(handler);
          if (forwarders.size === 0) {
            process.off('SIGUSR2', passOn);
            process.off('SIGQUIT', passOn);
          }
        };
      },
    }),
  ),
);
