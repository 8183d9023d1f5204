import type { ResolvedConfig } from '../../config.js';
import { createAuthorizationRequest } from '../../create-authorization-request.js';
import type { HttpResponse } from '../../transport.js';
import { describeFailure, isRedirect, locationOf, probe } from './probe.js';
import type { DiagnosticCheck } from './types.js';

const HTML = 'text/html,application/xhtml+xml,*/*;q=0.8';
const INVALID_REDIRECT = /invalid[\s_-]*redirect_uri/i;
const INVALID_CLIENT = /invalid[\s_-]*client_id/i;

const check = (status: DiagnosticCheck['status'], message: string): DiagnosticCheck => ({
  id: 'callback-registered',
  status,
  message,
});

/**
 * Whether the server accepts the callback URL for this app: the authorize request a login sends (built by
 * `createAuthorizationRequest`, with `prompt=login`), sent without following redirects, so no code is issued
 * to anyone. A redirect elsewhere (a sign-in or error page) is asked once more.
 */
export async function checkRegistered(
  config: ResolvedConfig,
  scopes: readonly string[],
  signal: AbortSignal | undefined,
): Promise<DiagnosticCheck> {
  const callbackUrl = config.redirectUri as string;
  let request: Awaited<ReturnType<typeof createAuthorizationRequest>>;
  try {
    request = await createAuthorizationRequest(config, { prompt: 'login', scopes });
  } catch (error) {
    // What a login would refuse too (e.g. more than 50 scopes): said in core's words.
    return check('fail', error instanceof Error ? error.message : String(error));
  }
  let first: HttpResponse;
  try {
    first = await probe(config, 'authorize', request.url, signal, HTML);
  } catch (error) {
    return check('warn', `The authorize endpoint could not be asked (${describeFailure(error)}).`);
  }
  if (!isRedirect(first.status)) return fromPage(first, config);
  const target = locationOf(first, request.url);
  if (target === undefined) {
    return check(
      'warn',
      `The authorize endpoint answered ${first.status} without a usable Location: could not tell whether the callback URL is registered.`,
    );
  }
  if (isCallback(target, callbackUrl)) return fromCallback(target, config);
  let next: HttpResponse;
  try {
    next = await probe(config, 'authorize', target.href, signal, HTML);
  } catch (error) {
    return check(
      'warn',
      `The authorize endpoint redirected to ${target.origin}, which could not be asked (${describeFailure(error)}).`,
    );
  }
  if (isRedirect(next.status)) {
    const onward = locationOf(next, target.href);
    // On to the callback URL (a signed-in session approving at once); a further redirect is not followed.
    if (onward !== undefined && isCallback(onward, callbackUrl)) return fromCallback(onward, config);
    return check(
      'warn',
      `The authorize endpoint redirected to ${target.origin}, which redirected again (${next.status}): could not tell whether the callback URL is registered; open the authorize URL in a browser (e.g. 'aps-auth login --no-open') to see.`,
    );
  }
  if (next.status >= 400 && !INVALID_REDIRECT.test(next.text) && !INVALID_CLIENT.test(next.text)) {
    return check(
      'warn',
      `The authorize endpoint redirected to a page that answered ${next.status}: could not tell whether the callback URL is registered.`,
    );
  }
  return fromPage(next, config);
}

/** A redirect back to the callback URL: registered; with an error, the request is not right. */
function fromCallback(target: URL, config: ResolvedConfig): DiagnosticCheck {
  const error = target.searchParams.get('error');
  if (error === null) return check('pass', `The callback URL is accepted for ${config.clientId}.`);
  const description = target.searchParams.get('error_description');
  return check(
    'warn',
    `The callback URL is accepted, but the server answered ${error.slice(0, 64)}${description ? ` (${description.slice(0, 200)})` : ''}: check the scopes (APS_SCOPES) and the app's settings.`,
  );
}

/** A page (no redirect): what it says about the callback URL and the client id. */
function fromPage(response: HttpResponse, config: ResolvedConfig): DiagnosticCheck {
  if (INVALID_REDIRECT.test(response.text)) {
    return check(
      'fail',
      `The callback URL is not registered for the app ${config.clientId}: add exactly ${config.redirectUri} as a callback URL of the app in the APS developer portal.`,
    );
  }
  if (INVALID_CLIENT.test(response.text)) {
    return check('fail', `The server does not know the client id ${config.clientId}: check APS_CLIENT_ID.`);
  }
  if (response.status >= 200 && response.status < 300) {
    return check('pass', `The callback URL is accepted for ${config.clientId}.`);
  }
  return check(
    'warn',
    `The authorize endpoint answered ${response.status}: could not tell whether the callback URL is registered.`,
  );
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
