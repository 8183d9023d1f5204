import { ConfigurationError } from '../../errors/configuration-error.js';
import { hasCredentials, refuseDotenvProfileChange } from '../load-config.js';
import { login } from '../login.js';
import { saveProfile } from '../profiles.js';
import { createStore, requestConfig, type SessionContext } from './context.js';
import type { SignInOptions } from './types.js';

/**
 * The three-legged sign-in of this profile with every rule enforced: a `.env` may not re-point a saved profile
 * (`refuseDotenvProfileChange`), a withheld secret is not sent (and said so), and after the token is stored the
 * profile is saved (its server marked as from a `.env` when it was).
 */
export async function signIn(context: SessionContext, options: SignInOptions): Promise<void> {
  const { config } = context;
  if (!hasCredentials(config)) {
    throw new ConfigurationError(
      'clientId',
      'No APS client id: set APS_CLIENT_ID (in the environment or .env) to sign in.',
      { problem: 'missing', input: 'APS_CLIENT_ID' },
    );
  }
  refuseDotenvProfileChange(config);
  const core = requestConfig(context);
  await login({
    config: core,
    store: createStore(context),
    key: config.profile,
    openUrl: options.openUrl,
    ...(options.manual === undefined ? {} : { manual: options.manual }),
    ...(options.relay === undefined ? {} : { relay: options.relay }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    signal: options.signal,
    onEvent: options.onEvent,
  });
  if (config.saved?.hasSecret === true && config.clientSecret === undefined) {
    // Withheld by loadConfig (it belongs to the saved client id and server only): never dropped silently.
    context.warn({
      code: 'SAVED_SECRET_NOT_KEPT',
      message:
        `the client secret saved in profile "${config.profile}" (for client id ${config.saved.clientId} at ` +
        `${config.saved.baseUrl}) is not kept: this sign-in is for client id ${config.clientId} at ${config.baseUrl}.`,
    });
  }
  await saveProfile(config.home, config.profile, {
    clientId: config.clientId as string,
    ...(config.clientSecret === undefined ? {} : { clientSecret: config.clientSecret }),
    callbackUrl: config.callbackUrl,
    scopes: config.scopes,
    baseUrl: config.baseUrl,
    ...(config.serverFromDotenv === true ? { baseUrlFrom: 'dotenv' as const } : {}),
  });
}
