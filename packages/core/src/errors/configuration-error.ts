import { ApsAuthError } from './aps-auth-error.js';

/**
 * Why an input was refused, stable for programs (a set-up screen, a front end's exit code): see
 * `validateCallbackUrl`, `validateBaseUrl`, `validateProfileName` and `validateScopes`.
 */
export type InputProblem =
  | 'missing'
  | 'not-a-url'
  | 'not-http'
  | 'fragment'
  | 'credentials'
  | 'insecure-http'
  | 'invalid-profile-name'
  | 'invalid-scope'
  | 'too-many-scopes';

/**
 * The configuration or an argument is unusable (`code: 'CONFIGURATION_ERROR'`); `field` names it (core's
 * name, e.g. `redirectUri`). An input refused by one of the validators also carries `problem` (a stable reason)
 * and `input` (the name the user knows it by, e.g. `APS_CALLBACK_URL` or `--callback-url`).
 */
export class ConfigurationError extends ApsAuthError {
  readonly field: string;
  readonly problem: InputProblem | undefined;
  readonly input: string | undefined;

  constructor(field: string, message: string, details: { problem?: InputProblem; input?: string } = {}) {
    super('CONFIGURATION_ERROR', message);
    this.name = 'ConfigurationError';
    this.field = field;
    this.problem = details.problem;
    this.input = details.input;
  }
}
