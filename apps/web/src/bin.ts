#!/usr/bin/env node
import { isApsAuthError } from '@aps-auth/core';
import { runWebServer } from './node/run.js';

// Every process.exit of the package lives in this file.
async function main(): Promise<void> {
  const write = (line: string) => process.stderr.write(`${line}\n`);
  let running: Awaited<ReturnType<typeof runWebServer>> | undefined;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    write(`aps-auth-web: ${signal} received, stopping`);
    (running?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    running = await runWebServer({ env: process.env, cwd: process.cwd(), write });
  } catch (error) {
    const detail = isApsAuthError(error) ? `${error.message} (${error.code})` : String(error);
    write(`aps-auth-web: cannot start: ${detail}`);
    process.exit(1);
  }
}

void main();
