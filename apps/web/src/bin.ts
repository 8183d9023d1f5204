#!/usr/bin/env node
import { isApsAuthError } from '@aps-auth/core';
import packageJson from '../package.json' with { type: 'json' };
import { runWebServer } from './node/run.js';

const USAGE = `Usage: aps-auth-web [--help] [--version]

Serves the aps-auth web app: web sign-in with the APS tutorials' routes, and the relay for terminals.
Configured from the environment (or a .env in the working directory): APS_CLIENT_ID, APS_CLIENT_SECRET,
APS_CALLBACK_URL, APS_SCOPES, APS_BASE_URL, SESSION_SECRET (required with NODE_ENV=production), PORT
(default 8080), HOST (default 127.0.0.1). With no APS credentials it runs against a local APS emulator.
`;

// Every process.exit of the package lives in this file.
async function main(): Promise<void> {
  const [flag, ...rest] = process.argv.slice(2);
  if (flag === '--version' || flag === '-v') {
    process.stdout.write(`${packageJson.version}\n`);
    process.exit(0);
  }
  if (flag === '--help' || flag === '-h') {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (flag !== undefined || rest.length > 0) {
    process.stderr.write(`aps-auth-web: unknown argument ${JSON.stringify(flag)}\n${USAGE}`);
    process.exit(2);
  }
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
