import { ApsAuthError } from './aps-auth-error.js';

/**
 * A token is stored for this profile, but for another client id or server than the configured ones
 * (`code: 'TOKEN_OTHER_CLIENT'`): it is never used (nor revoked, nor overwritten without a new sign-in).
 * The fields say which: the stored client id and server, and the configured ones.
 */
export class TokenOtherClientError extends ApsAuthError {
  readonly profile: string;
  readonly storedClientId: string | undefined;
  readonly storedBaseUrl: string | undefined;
  readonly clientId: string | undefined;
  readonly baseUrl: string;

  constructor(fields: {
    profile: string;
    storedClientId: string | undefined;
    storedBaseUrl: string | undefined;
    clientId: string | undefined;
    baseUrl: string;
  }) {
    const differences: string[] = [];
    if (fields.storedClientId !== fields.clientId) {
      differences.push(
        `client id ${fields.storedClientId ?? '(not recorded)'} (configured: ${fields.clientId ?? '(none)'})`,
      );
    }
    if (fields.storedBaseUrl !== fields.baseUrl) {
      differences.push(`server ${fields.storedBaseUrl ?? '(not recorded)'} (configured: ${fields.baseUrl})`);
    }
    super(
      'TOKEN_OTHER_CLIENT',
      `The token stored for profile "${fields.profile}" is for another ${differences.join(' and ')}: it is not used.`,
    );
    this.name = 'TokenOtherClientError';
    this.profile = fields.profile;
    this.storedClientId = fields.storedClientId;
    this.storedBaseUrl = fields.storedBaseUrl;
    this.clientId = fields.clientId;
    this.baseUrl = fields.baseUrl;
  }
}
