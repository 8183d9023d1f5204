import { type FetchLike, type ResolvedConfig, resolveConfig } from '../config.js';
import { checkCallbackUrl, checkPort } from './diagnose/check-callback.js';
import { checkConfig } from './diagnose/check-config.js';
import { checkRegistered } from './diagnose/check-registered.js';
import { checkClock, checkServer } from './diagnose/check-server.js';
import { checkTokenFile } from './diagnose/check-token-file.js';
import { type DiagnosticCheck, type DiagnosticId, skip } from './diagnose/types.js';
import type { LoadedConfig } from './load-config.js';

export type { DiagnosticCheck, DiagnosticId, DiagnosticStatus } from './diagnose/types.js';

export interface DiagnosticReport {
  /** No check failed. */
  ok: boolean;
  checks: DiagnosticCheck[];
}

export interface DiagnoseOptions {
  fetch?: FetchLike | undefined;
  /** The local clock (ms). Default `Date.now`. */
  now?: (() => number) | undefined;
  signal?: AbortSignal | undefined;
  /** Per request, in milliseconds. Default 10000. */
  timeoutMs?: number | undefined;
}

const AFTER_CONFIG: readonly DiagnosticId[] = [
  'callback-url',
  'port',
  'server',
  'clock',
  'callback-registered',
  'token-file',
];

/** The loaded configuration as core's protocol functions take it (no secret: nothing is exchanged). */
function protocolConfig(config: LoadedConfig, options: DiagnoseOptions): ResolvedConfig | undefined {
  try {
    return resolveConfig({
      clientId: config.clientId ?? 'doctor',
      baseUrl: config.baseUrl,
      redirectUri: config.callbackUrl,
      timeoutMs: options.timeoutMs ?? 10_000,
      retry: { limit: 0 },
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
  } catch {
    return undefined;
  }
}

/**
 * Preflight for `doctor`: configuration, callback URL and port (the listener's own rules and bind loop),
 * server, clock skew, whether the server accepts the callback URL for this app (the login's own authorize
 * request with `prompt=login`, redirects not followed: no code is issued), and the profile's token file.
 */
export async function diagnose(
  config: LoadedConfig,
  options: DiagnoseOptions = {},
): Promise<DiagnosticReport> {
  const now = options.now ?? Date.now;
  const checks: DiagnosticCheck[] = [checkConfig(config)];
  if (config.profileError !== undefined) {
    // Not run on the defaults that loadConfig fell back to: they are not what the user configured.
    for (const id of AFTER_CONFIG) checks.push(skip(id, 'Skipped: the profile could not be read.'));
    return { ok: false, checks };
  }
  const callback = checkCallbackUrl(config.callbackUrl);
  checks.push(callback.check);
  checks.push(
    callback.target === undefined
      ? skip('port', 'Skipped: the callback URL is not usable.')
      : await checkPort(callback.target),
  );
  const protocol = protocolConfig(config, options);
  let reachable = false;
  if (protocol === undefined) {
    checks.push({
      id: 'server',
      status: 'fail',
      message: `The base URL ${config.baseUrl} is not a valid http(s) URL.`,
    });
    checks.push(skip('clock', 'Skipped: no server to compare with.'));
  } else {
    const server = await checkServer(protocol, config.baseUrl, options.signal);
    reachable = server.check.status === 'pass';
    checks.push(server.check, checkClock(now(), server.serverDate));
  }
  if (
    !reachable ||
    protocol === undefined ||
    config.clientId === undefined ||
    callback.target === undefined
  ) {
    checks.push(
      skip(
        'callback-registered',
        'Skipped: needs a client id, a usable callback URL and a reachable server.',
      ),
    );
  } else {
    checks.push(await checkRegistered(protocol, config.scopes, options.signal));
  }
  checks.push(await checkTokenFile(config));
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}
