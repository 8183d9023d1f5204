#!/usr/bin/env node
import pkg from '../package.json' with { type: 'json' };
import { DEMO_CLIENT, formatBanner } from './cli/banner.js';
import { parseArgs, USAGE } from './cli/parse-args.js';
import { startEmulator } from './node/server.js';

// Every process.exit of the package lives in this file.
async function main(): Promise<void> {
  const parsed = parseArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (parsed.kind === 'version') {
    process.stdout.write(`${pkg.version}\n`);
    return;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`aps-auth-emulator: ${parsed.message}\n\n${USAGE}`);
    process.exit(2);
  }
  const { options } = parsed;
  const demo = options.clients.length === 0;
  const clients = demo ? [DEMO_CLIENT] : options.clients;
  // Signal handlers go in before anything is printed: a parent may signal as soon as it reads "listening".
  let server: Awaited<ReturnType<typeof startEmulator>> | undefined;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`aps-auth-emulator: ${signal} received, stopping\n`);
    (server?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`aps-auth-emulator: error while stopping: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    server = await startEmulator({
      port: options.port,
      host: options.host,
      autoApprove: options.autoApprove,
      control: options.control,
      clients,
      ...(options.accessTokenLifetime === undefined
        ? {}
        : { accessTokenLifetime: options.accessTokenLifetime }),
      ...(options.allowedHosts === undefined ? {} : { allowedHosts: options.allowedHosts }),
    });
  } catch (err) {
    process.stderr.write(
      `aps-auth-emulator: cannot start: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(formatBanner(server.url, clients, demo, options));
}

void main();
