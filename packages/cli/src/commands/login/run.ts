import {
  hasCredentials,
  login,
  refuseDotenvProfileChange,
  saveProfile,
  toCoreConfig,
} from '@aps-auth/core/node';
import { createStore, loadCliConfig } from '../../context.js';
import { CliError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { followRedirects } from '../../fetch-browser.js';
import type { CommandResult, RunDeps } from '../../io.js';
import { type BrowserMode, createLoginEventHandler } from '../../login-events.js';
import { describeExpiry, writeJson } from '../../output.js';
import { createProgress } from '../../progress.js';
import { createLineReader } from '../../read-line.js';
import { collectStatus, describeUser, renderStatus } from '../../status-report.js';
import type { LoginOptions } from './parse.js';

/** `APS_AUTH_BROWSER=fetch` (tests, benchmarks): follow the authorize redirect with fetch, no browser. */
export function chooseBrowser(
  options: LoginOptions,
  deps: RunDeps,
): { mode: BrowserMode; openUrl: ((url: string) => Promise<void>) | false | undefined } {
  if (options.manual) return { mode: 'manual', openUrl: false };
  if (!options.open) return { mode: 'print', openUrl: false };
  if (deps.openUrl !== undefined) return { mode: 'open', openUrl: deps.openUrl };
  if (deps.io.env.APS_AUTH_BROWSER === 'fetch')
    return { mode: 'fetch', openUrl: (url) => followRedirects(url) };
  return { mode: 'open', openUrl: undefined };
}

/** The flags given that only make sense for a real sign-in (any of them turns the demo off). */
export function explicitFlags(options: LoginOptions): string[] {
  const given: string[] = [];
  if (options.profile !== undefined) given.push('--profile');
  if (options.scopes !== undefined) given.push('--scopes');
  if (options.callbackUrl !== undefined) given.push('--callback-url');
  if (options.manual) given.push('--manual');
  else if (!options.open) given.push('--no-open');
  return given;
}

export async function run(options: LoginOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  const now = deps.now ?? Date.now;
  const config = await loadCliConfig(io, {
    profile: options.profile,
    scopes: options.scopes,
    callbackUrl: options.callbackUrl,
  });
  if (!hasCredentials(config)) {
    // The demo only for a bare `aps-auth login` (`--json`, `--timeout` allowed): a flag that is about a real
    // sign-in is never silently replaced by a demo that succeeds.
    const explicit = explicitFlags(options);
    if (explicit.length > 0) {
      throw new CliError(
        `no APS client id configured: set APS_CLIENT_ID (in the environment or .env) to sign in with ${explicit.join(', ')}.`,
        ExitCode.ERROR,
        "Without any of these flags, 'aps-auth login' runs the demo against a local emulator.",
      );
    }
    const { runDemo } = await import('../../demo.js');
    return runDemo(options, deps);
  }
  // A `.env` never silently re-points a saved profile (its server would become the profile's own).
  refuseDotenvProfileChange(config);
  const progress = createProgress(io, { spinner: options.spinner });
  const { mode, openUrl } = chooseBrowser(options, deps);
  const core = toCoreConfig(config, deps.now === undefined ? {} : { now: deps.now });
  const lines = options.manual ? await createLineReader(io.stdin, deps.signal) : undefined;
  try {
    await login({
      config: core,
      store: createStore(config, io),
      key: config.profile,
      openUrl,
      ...(lines === undefined ? {} : { manual: lines }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      signal: deps.signal,
      onEvent: createLoginEventHandler(progress, mode, {
        remote: io.env.SSH_CONNECTION !== undefined || io.env.SSH_TTY !== undefined,
      }),
    });
  } finally {
    progress.stop();
    lines?.close();
  }
  if (config.saved?.hasSecret === true && config.clientSecret === undefined) {
    // Withheld by loadConfig (it belongs to the saved client id and server only): never dropped silently.
    io.stderr.write(
      `aps-auth: the client secret saved in profile "${config.profile}" (for client id ${config.saved.clientId} at ` +
        `${config.saved.baseUrl}) is not kept: this sign-in is for client id ${config.clientId} at ${config.baseUrl}.\n`,
    );
  }
  const [, status] = await Promise.all([
    saveProfile(config.home, config.profile, {
      clientId: config.clientId!,
      ...(config.clientSecret === undefined ? {} : { clientSecret: config.clientSecret }),
      callbackUrl: config.callbackUrl,
      scopes: config.scopes,
      baseUrl: config.baseUrl,
    }),
    collectStatus(config, createStore(config), {
      now,
      userInfo: true,
      signal: deps.signal,
      onWarning: (message) => io.stderr.write(`aps-auth: ${message}\n`),
    }),
  ]);
  const expiry =
    status.expiresAt === null
      ? ''
      : `; the access token expires ${describeExpiry(Date.parse(status.expiresAt), now())}`;
  progress.done(`Signed in as ${describeUser(status.user)} (profile "${config.profile}")${expiry}.`);
  if (options.format === 'json') writeJson(io, { ...status });
  else io.stdout.write(renderStatus(status, options.format, now()));
  return 0;
}
