import { ApsAuthError } from './aps-auth-error.js';

/** The configuration or an argument is unusable (`code: 'CONFIGURATION_ERROR'`); `field` names it. */
export class ConfigurationError extends ApsAuthError {
  readonly field: string;

  constructor(field: string, message: string) {
    super('CONFIGURATION_ERROR', message);
    this.name = 'ConfigurationError';
    this.field = field;
  }
}
