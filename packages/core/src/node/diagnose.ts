import { createServer } from 'node:net';
import { type FetchLike, resolveConfig } from '../config.js';
import { computeCodeChallenge, createCodeVerifier } from '../pkce.js';
import { randomString } from '../random.js';
import { type LoadedConfig, toCoreConfig } from './load-config.js';
import { loopbackAddressesFor } from './loopback-server.js';

export type DiagnosticId = 'config' | 'callback-url' | 'port' | 'server' | 'clock' | 'callback-registered';
export type DiagnosticStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface DiagnosticCheck {
  id: DiagnosticId;
  status: DiagnosticStatus;
  /** One line, with the next step when not `pass`; never a secret. */
  message: string;
}

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

export const CLOCK_WARN_MS = 30_000;
export const CLOCK_FAIL_MS = 5 * 60_000;

const SOURCE_LABEL = {
  flag: 'a flag',
  env: 'the environment',
  dotenv: '.env',
  profile: 'the profile',
  default: 'default',
};

function checkConfig(config: LoadedConfig): DiagnosticCheck {
  if (config.profileError !== undefined) {
    return { id: 'config', status: 'fail', message: config.profileError.message };
  }
  if (config.clientId === undefined) {
    return {
      id: 'config',
      status: 'fail',
      message: 'No APS client id: set APS_CLIENT_ID (in the environment or .env).',
    };
  }
  try {
    // The same refusals as every command that sends a request (a .env server with an outside secret).
    toCoreConfig(config);
  } catch (error) {
    return { id: 'config', status: 'fail', message: error instanceof Error ? error.message : String(error) };
  }
  const client = `Client id ${config.clientId} from ${SOURCE_LABEL[config.sources.clientId]}`;
  const saved = config.saved;
  if (config.clientSecret === undefined && saved?.hasSecret === true) {
    // loadConfig withheld the saved secret: it belongs to another client id or server.
    return {
      id: 'config',
      status: 'warn',
      message: `${client}; the client secret saved in profile "${config.profile}" is for client id ${saved.clientId} at ${saved.baseUrl}, so it is not used for ${config.clientId} at ${config.baseUrl}: set APS_CLIENT_SECRET if this app is confidential, or sign in again to save it.`,
    };
  }
  const secret =
    config.clientSecret === undefined
      ? 'no client secret (a public app: PKCE only)'
      : `a client secret from ${SOURCE_LABEL[config.sources.clientSecret]} (a confidential app)`;
  return { id: 'config', status: 'pass', message: `${client}; ${secret}.` };
}

function checkCallbackUrl(callbackUrl: string): { check: DiagnosticCheck; url?: URL } {
  const fail = (why: string): { check: DiagnosticCheck } => ({
    check: {
      id: 'callback-url',
      status: 'fail',
      message: `The callback URL ${callbackUrl.slice(0, 200)} ${why}; register one like http://localhost:8080/api/auth/callback and set APS_CALLBACK_URL to it.`,
    },
  });
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    return fail('is not a valid URL');
  }
  if (url.protocol !== 'http:') return fail('must use http (a loopback listener has no certificate)');
  if (loopbackAddressesFor(url.hostname).length === 0)
    return fail('must point at this machine (localhost, 127.0.0.1 or [::1])');
  // URL drops a default port (80), so an empty port is 80 or none at all: both need privileges to listen on.
  if (url.port === '' || Number(url.port) <= 1023)
    return fail('needs an explicit port above 1023 (lower ones need privileges)');
  if (callbackUrl.includes('#')) return fail('must not contain a fragment (#)');
  return { check: { id: 'callback-url', status: 'pass', message: `Callback URL ${callbackUrl}.` }, url };
}

function canBind(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

async function checkPort(url: URL): Promise<DiagnosticCheck> {
  const port = Number(url.port);
  for (const [index, host] of loopbackAddressesFor(url.hostname).entries()) {
    const code = await canBind(host, port);
    if (code === undefined || (index > 0 && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT'))) continue;
    return {
      id: 'port',
      status: 'fail',
      message:
        code === 'EADDRINUSE'
          ? `Port ${port} on ${url.hostname} is in use: stop the program using it (e.g. 'lsof -i :${port}') or register another callback URL.`
          : `Port ${port} on ${url.hostname} cannot be bound (${code}).`,
    };
  }
  return { id: 'port', status: 'pass', message: `Port ${port} on ${url.hostname} is free.` };
}

function describeFailure(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  if (typeof cause === 'string') return cause;
  return error instanceof Error ? error.message.slice(0, 120) : 'unknown error';
}

/**
 * Preflight for `doctor`: configuration, callback URL, port, server, clock skew, and whether APS accepts the
 * callback URL for this app (an authorize request with `prompt=login`, redirects not followed: no code is issued).
 */
export async function diagnose(
  config: LoadedConfig,
  options: DiagnoseOptions = {},
): Promise<DiagnosticReport> {
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const signalFor = () =>
    options.signal === undefined
      ? AbortSignal.timeout(timeoutMs)
      : AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]);
  const checks: DiagnosticCheck[] = [checkConfig(config)];
  if (config.profileError !== undefined) {
    // Not run on the defaults that loadConfig fell back to: they are not what the user configured.
    for (const id of ['callback-url', 'port', 'server', 'clock', 'callback-registered'] as const) {
      checks.push({ id, status: 'skip', message: 'Skipped: the profile could not be read.' });
    }
    return { ok: false, checks };
  }
  const callback = checkCallbackUrl(config.callbackUrl);
  checks.push(callback.check);
  checks.push(
    callback.url === undefined
      ? { id: 'port', status: 'skip', message: 'Skipped: the callback URL is not usable.' }
      : await checkPort(callback.url),
  );

  let endpoints: ReturnType<typeof resolveConfig>['endpoints'] | undefined;
  try {
    endpoints = resolveConfig({ clientId: config.clientId ?? 'x', baseUrl: config.baseUrl }).endpoints;
  } catch {
    endpoints = undefined;
  }
  let serverDate: number | undefined;
  let reachable = false;
  if (endpoints === undefined) {
    checks.push({
      id: 'server',
      status: 'fail',
      message: `The base URL ${config.baseUrl} is not a valid http(s) URL.`,
    });
  } else {
    const discovery = `${config.baseUrl}/.well-known/openid-configuration`;
    const started = now();
    try {
      let response = await fetchImpl(discovery, { signal: signalFor(), redirect: 'manual' });
      if (!response.ok) {
        await response.body?.cancel();
        response = await fetchImpl(endpoints.keys, { signal: signalFor(), redirect: 'manual' });
      }
      await response.body?.cancel();
      const date = Date.parse(response.headers.get('date') ?? '');
      serverDate = Number.isNaN(date) ? undefined : date;
      reachable = response.ok;
      checks.push(
        response.ok
          ? {
              id: 'server',
              status: 'pass',
              message: `${config.baseUrl} answered in ${Math.max(0, now() - started)} ms.`,
            }
          : {
              id: 'server',
              status: 'fail',
              message: `${config.baseUrl} answered ${response.status} to discovery and keys: check APS_BASE_URL.`,
            },
      );
    } catch (error) {
      checks.push({
        id: 'server',
        status: 'fail',
        message: `${config.baseUrl} cannot be reached (${describeFailure(error)}): check the network, a proxy, or APS_BASE_URL.`,
      });
    }
  }

  if (serverDate === undefined) {
    checks.push({ id: 'clock', status: 'skip', message: 'Skipped: no Date header from the server.' });
  } else {
    const skew = now() - serverDate;
    const seconds = Math.round(Math.abs(skew) / 1000);
    const direction = skew > 0 ? 'ahead of' : 'behind';
    checks.push(
      Math.abs(skew) > CLOCK_FAIL_MS
        ? {
            id: 'clock',
            status: 'fail',
            message: `The local clock is ${seconds} s ${direction} the server's: token expiry will be wrong; set the clock (NTP).`,
          }
        : Math.abs(skew) > CLOCK_WARN_MS
          ? {
              id: 'clock',
              status: 'warn',
              message: `The local clock is ${seconds} s ${direction} the server's: consider syncing it (NTP).`,
            }
          : {
              id: 'clock',
              status: 'pass',
              message: `The local clock is within ${seconds} s of the server's.`,
            },
    );
  }

  if (!reachable || endpoints === undefined || config.clientId === undefined || callback.url === undefined) {
    checks.push({
      id: 'callback-registered',
      status: 'skip',
      message: 'Skipped: needs a client id, a usable callback URL and a reachable server.',
    });
  } else {
    checks.push(await checkRegistered(config, endpoints.authorize, fetchImpl, signalFor));
  }
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}

/** `url` is the callback URL (same origin and path; the query is the server's answer). */
function isCallback(url: URL, callbackUrl: string): boolean {
  try {
    const callback = new URL(callbackUrl);
    return url.origin === callback.origin && url.pathname === callback.pathname;
  } catch {
    return false;
  }
}

async function checkRegistered(
  config: LoadedConfig,
  authorize: string,
  fetchImpl: FetchLike,
  signalFor: () => AbortSignal,
): Promise<DiagnosticCheck> {
  const url = new URL(authorize);
  const params = url.searchParams;
  params.set('response_type', 'code');
  params.set('client_id', config.clientId as string);
  params.set('redirect_uri', config.callbackUrl);
  params.set('scope', config.scopes.join(' '));
  params.set('state', randomString(16));
  params.set('code_challenge', await computeCodeChallenge(createCodeVerifier()));
  params.set('code_challenge_method', 'S256');
  if (config.scopes.includes('openid')) params.set('nonce', randomString(16));
  params.set('prompt', 'login');
  let response: Response;
  try {
    response = await fetchImpl(url.href, { signal: signalFor(), redirect: 'manual' });
  } catch (error) {
    return {
      id: 'callback-registered',
      status: 'warn',
      message: `The authorize endpoint could not be asked (${describeFailure(error)}).`,
    };
  }
  let body = await response.text().catch(() => '');
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get('location') ?? '';
    let target: URL | undefined;
    try {
      target = new URL(location, url);
    } catch {
      target = undefined;
    }
    if (target !== undefined && isCallback(target, config.callbackUrl)) {
      // A redirect back to the callback URL: registered (an auto-approving server sends the code at once). With
      // an error, the URL is registered but the request is not right.
      const error = target.searchParams.get('error');
      if (error !== null) {
        const description = target.searchParams.get('error_description');
        return {
          id: 'callback-registered',
          status: 'warn',
          message: `The callback URL is accepted, but the server answered ${error.slice(0, 64)}${description ? ` (${description.slice(0, 200)})` : ''}: check the scopes (APS_SCOPES) and the app's settings.`,
        };
      }
      return {
        id: 'callback-registered',
        status: 'pass',
        message: `The callback URL is accepted for ${config.clientId}.`,
      };
    }
    if (target === undefined || (target.protocol !== 'http:' && target.protocol !== 'https:')) {
      return {
        id: 'callback-registered',
        status: 'warn',
        message: `The authorize endpoint answered ${response.status} without a usable Location: could not tell whether the callback URL is registered.`,
      };
    }
    // A redirect elsewhere (e.g. to a sign-in page, or to an error page): one more GET, no credentials and no
    // further redirect, and the same checks on what it shows.
    try {
      const next = await fetchImpl(target.href, {
        signal: signalFor(),
        redirect: 'manual',
        credentials: 'omit',
      });
      body = await next.text().catch(() => '');
      if (next.status >= 300 && next.status < 400) {
        let onward: URL | undefined;
        try {
          onward = new URL(next.headers.get('location') ?? '', target);
        } catch {
          onward = undefined;
        }
        // On to the callback URL (a signed-in session approving at once): registered, unless with an error.
        if (onward !== undefined && isCallback(onward, config.callbackUrl)) {
          return onward.searchParams.get('error') === null
            ? {
                id: 'callback-registered',
                status: 'pass',
                message: `The callback URL is accepted for ${config.clientId}.`,
              }
            : {
                id: 'callback-registered',
                status: 'warn',
                message: `The callback URL is accepted, but the server answered ${onward.searchParams.get('error')?.slice(0, 64)}: check the scopes (APS_SCOPES) and the app's settings.`,
              };
        }
        // A second redirect elsewhere (e.g. on to an error page): not followed, so nothing can be told here.
        return {
          id: 'callback-registered',
          status: 'warn',
          message: `The authorize endpoint redirected to ${target.origin}, which redirected again (${next.status}): could not tell whether the callback URL is registered; open the authorize URL in a browser (e.g. 'aps-auth login --no-open') to see.`,
        };
      }
      if (next.status >= 400 && !/invalid[\s_-]*(redirect_uri|client_id)/i.test(body)) {
        return {
          id: 'callback-registered',
          status: 'warn',
          message: `The authorize endpoint redirected to a page that answered ${next.status}: could not tell whether the callback URL is registered.`,
        };
      }
    } catch (error) {
      return {
        id: 'callback-registered',
        status: 'warn',
        message: `The authorize endpoint redirected to ${target.origin}, which could not be asked (${describeFailure(error)}).`,
      };
    }
    if (!/invalid[\s_-]*(redirect_uri|client_id)/i.test(body)) {
      return {
        id: 'callback-registered',
        status: 'pass',
        message: `The callback URL is accepted for ${config.clientId}.`,
      };
    }
  }
  if (/invalid[\s_-]*redirect_uri/i.test(body)) {
    return {
      id: 'callback-registered',
      status: 'fail',
      message: `The callback URL is not registered for the app ${config.clientId}: add exactly ${config.callbackUrl} as a callback URL of the app in the APS developer portal.`,
    };
  }
  if (/invalid[\s_-]*client_id/i.test(body)) {
    return {
      id: 'callback-registered',
      status: 'fail',
      message: `The server does not know the client id ${config.clientId}: check APS_CLIENT_ID.`,
    };
  }
  if (response.ok) {
    return {
      id: 'callback-registered',
      status: 'pass',
      message: `The callback URL is accepted for ${config.clientId}.`,
    };
  }
  return {
    id: 'callback-registered',
    status: 'warn',
    message: `The authorize endpoint answered ${response.status}: could not tell whether the callback URL is registered.`,
  };
}
