import { type ExitCodeValue, exitCodeFor } from './exit-codes.js';
import { printable } from './text.js';

/** What the error screen shows: core's typed code, its message (control characters stripped), the next step. */
export interface ErrorView {
  code: string;
  message: string;
  nextStep: string;
  exitCode: ExitCodeValue;
}

const NEXT_STEPS: Record<string, string> = {
  LOGIN_TIMEOUT:
    'Check that the callback URL is registered for the app exactly as shown, then retry; over SSH use m (paste the URL).',
  ABORTED: 'Retry when ready.',
  AUTHORIZATION_RESPONSE_ERROR:
    'Consent was not given or the server refused the request: retry and allow access.',
  STATE_MISMATCH: 'Retry and finish in the tab this sign-in opens.',
  CALLBACK_PORT_UNAVAILABLE:
    'Another program listens on the callback port: stop it, or register another callback URL.',
  CALLBACK_URL_UNSUPPORTED:
    'Use an http loopback callback URL, or the manual mode (m on the signing-in screen).',
  CONFIGURATION_ERROR: 'Fix the value named above (r returns to the set-up).',
  OAUTH_ERROR: 'Check the client id, secret and callback URL in the APS developer portal, then retry.',
  SIGN_IN_REQUIRED: 'Sign in again (r).',
  NETWORK_ERROR: 'Check the network connection and the server URL, then retry.',
  TIMEOUT: 'The server did not answer in time: retry.',
  UNEXPECTED_RESPONSE: 'The server answered something unexpected: retry later, or check APS_BASE_URL.',
  TOKEN_STORE_CORRUPT: 'Move the file named above away (or run aps-auth logout), then retry.',
  TOKEN_STORE_IO: 'Check the permissions of the aps-auth home directory, then retry.',
  RELAY_URL_INVALID:
    "Give the relay web app's origin with https (plain http only for a loopback host), e.g. --relay https://auth.example.com.",
  RELAY_UNAVAILABLE:
    'Check the relay URL and that the aps-auth web app answers there (its /healthz), then retry (r).',
  RELAY_RATE_LIMITED: 'The relay limits new pairings: wait a minute, then retry (r).',
  RELAY_BAD_RESPONSE: 'Check that --relay names an aps-auth web app (its origin only), then retry (r).',
  RELAY_PAIRING_EXPIRED:
    'Retry (r) for a new URL, and finish the sign-in on the other device before it expires.',
  RELAY_DECRYPT_FAILED:
    "Retry (r) for a new pairing; if it happens again, the relay's answers are altered on the way: tell its operator.",
};

/** The same codes mean something else through the relay: the sign-in happens on another device. */
const RELAY_NEXT_STEPS: Record<string, string> = {
  LOGIN_TIMEOUT:
    "Finish the sign-in on the other device, and check that the relay's /relay is registered as a callback URL of the app, then retry (r).",
  STATE_MISMATCH:
    'The sign-in handed back was not this one: retry (r) and open only the new URL (or scan its QR code).',
};

/** `relay`: the error ended a sign-in through the relay (`--relay`), whose next steps differ. */
export function describeError(error: unknown, context: { relay?: boolean } = {}): ErrorView {
  const code =
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
      ? (error as { code: string }).code
      : 'UNEXPECTED';
  const message = printable(error instanceof Error ? error.message : String(error), 800);
  return {
    code,
    message,
    nextStep:
      (context.relay === true ? RELAY_NEXT_STEPS[code] : undefined) ??
      NEXT_STEPS[code] ??
      'Retry (r), or run aps-auth doctor to check the configuration.',
    exitCode: exitCodeFor(error),
  };
}
