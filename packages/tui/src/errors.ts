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
};

export function describeError(error: unknown): ErrorView {
  const code =
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
      ? (error as { code: string }).code
      : 'UNEXPECTED';
  const message = printable(error instanceof Error ? error.message : String(error), 800);
  return {
    code,
    message,
    nextStep: NEXT_STEPS[code] ?? 'Retry (r), or run aps-auth doctor to check the configuration.',
    exitCode: exitCodeFor(error),
  };
}
