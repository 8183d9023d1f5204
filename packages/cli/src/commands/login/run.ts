import { hasCredentials } from '@aps-auth/core/node';
import { openCliProfile } from '../../context.js';
import { CliError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { followRedirects } from '../../fetch-browser.js';
import type { CommandResult, RunDeps } from '../../io.js';
import { type BrowserMode, createLoginEventHandler } from '../../login-events.js';
import { describeExpiry, writeJson } from '../../output.js';
import { createProgress } from '../../progress.js';
import { createLineReader } from '../../read-line.js';
import { describeUser, renderStatus, statusDocument } from '../../status-report.js';
import type { LoginOptions } from './parse.js';
import { withRelayEvents } from './relay-events.js';

/** `APS_AUTH_BROWSER=fetch` (tests, benchmarks): follow the authorize redirect with fetch, no browser. */
export function chooseBrowser(
  options: LoginOptions,
  deps: RunDeps,
): { mode: BrowserMode; openUrl: ((url: string) => Promise<void>) | false | undefined } {
  if (options.manual) return { mode: 'manual', openUrl: false };
  if (options.relay !== undefined) return { mode: 'print', openUrl: false };
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
  if (options.relay !== undefined) given.push('--relay');
  if (options.manual) given.push('--manual');
  else if (!options.open && options.relay === undefined) given.push('--no-open');
  return given;
}

export async function run(options: LoginOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  const now = deps.now ?? Date.now;
  const session = await openCliProfile(io, deps, {
    profile: options.profile,
    scopes: options.scopes,
    callbackUrl: options.callbackUrl,
  });
  const { config } = session;
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
  const progress = createProgress(io, { spinner: options.spinner });
  const { mode, openUrl } = chooseBrowser(options, deps);
  const lines = options.manual ? await createLineReader(io.stdin, deps.signal) : undefined;
  let status: Awaited<ReturnType<typeof session.signIn>>;
  try {
    // Every .env and saved-profile rule is enforced by the session; it saves the token and the profile.
    status = await session.signIn({
      openUrl,
      ...(lines === undefined ? {} : { manual: lines }),
      ...(options.relay === undefined ? {} : { relay: options.relay }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      signal: deps.signal,
      onEvent: withRelayEvents(
        progress,
        options.relay,
        createLoginEventHandler(progress, mode, {
          remote: io.env.SSH_CONNECTION !== undefined || io.env.SSH_TTY !== undefined,
        }),
      ),
    });
  } finally {
    progress.stop();
    lines?.close();
  }
  const document = statusDocument(status);
  const expiry =
    status.expiresAt === null ? '' : `; the access token expires ${describeExpiry(status.expiresAt, now())}`;
  progress.done(`Signed in as ${describeUser(status.user)} (profile "${config.profile}")${expiry}.`);
  if (options.format === 'json') writeJson(io, { ...document });
  else io.stdout.write(renderStatus(document, options.format, now()));
  return 0;
}
