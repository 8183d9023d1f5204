import { SignInRequiredError, TokenOtherClientError } from '@aps-auth/core';
import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeFor } from '../src/exit-codes.js';
import { describeError } from '../src/main.js';

// The next step after an error is chosen by its code and reason, never by its wording.

describe('describeError: the next step by code and reason', () => {
  it('no token: "to sign in", with the profile when it is not the default one', () => {
    const error = new SignInRequiredError('no_token', 'Any wording at all.', { profile: 'work' });
    expect(describeError(error)).toBe("Any wording at all.\nRun 'aps-auth login --profile work' to sign in.");
    expect(exitCodeFor(error)).toBe(ExitCode.SIGN_IN_REQUIRED);
  });

  it('a spent grant: the command only, whatever the message says', () => {
    for (const reason of ['refresh_rejected', 'no_refresh_token'] as const) {
      const error = new SignInRequiredError(reason, 'The grant is over.');
      expect(describeError(error)).toBe("The grant is over.\nRun 'aps-auth login'.");
    }
  });

  it('a token of another client: TOKEN_OTHER_CLIENT, exit 3', () => {
    const error = new TokenOtherClientError({
      profile: 'default',
      storedClientId: 'a',
      storedBaseUrl: 'https://x.example',
      clientId: 'b',
      baseUrl: 'https://x.example',
    });
    expect(error.code).toBe('TOKEN_OTHER_CLIENT');
    expect(error.message).toBe(
      'The token stored for profile "default" is for another client id a (configured: b): it is not used.',
    );
    expect(describeError(error)).toContain(
      "\nRun 'aps-auth login' to sign in with the configured client and server",
    );
    expect(exitCodeFor(error)).toBe(ExitCode.SIGN_IN_REQUIRED);
  });
});
