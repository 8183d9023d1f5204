import { validateBaseUrl } from '../inputs/base-url.js';
import { validateCallbackUrl } from '../inputs/callback-url.js';
import { type InputLabel, unwrap } from '../inputs/input-label.js';
import { validateScopes } from '../inputs/scopes.js';
import type { ConfigField, ConfigSource, LoadedConfig } from './load-config.js';

const VARIABLE: Record<ConfigField | 'profile', string> = {
  clientId: 'APS_CLIENT_ID',
  clientSecret: 'APS_CLIENT_SECRET',
  callbackUrl: 'APS_CALLBACK_URL',
  scopes: 'APS_SCOPES',
  baseUrl: 'APS_BASE_URL',
  profile: 'APS_AUTH_PROFILE',
};

const FLAG: Record<ConfigField | 'profile', string> = {
  clientId: '--client-id',
  clientSecret: '--client-secret',
  callbackUrl: '--callback-url',
  scopes: '--scopes',
  baseUrl: '--base-url',
  profile: '--profile',
};

/** How the user knows a configured value: the flag, or the variable and where it was set. */
export function inputLabel(
  field: ConfigField | 'profile',
  source: ConfigSource,
  dotenvPath: string | undefined,
  profile?: string,
): InputLabel {
  switch (source) {
    case 'flag':
      return { name: FLAG[field], source: 'the command line' };
    case 'env':
      return { name: VARIABLE[field], source: 'the environment' };
    case 'dotenv':
      return { name: VARIABLE[field], source: dotenvPath ?? '.env' };
    case 'profile':
      return { name: field, source: `the saved profile "${profile ?? 'default'}"` };
    default:
      return { name: VARIABLE[field], source: 'the default' };
  }
}

/**
 * Checks the values a request is made with, naming each as the user knows it (`APS_CALLBACK_URL` from a `.env`
 * with its value, `--callback-url`): the callback URL, the server (https unless loopback or `allowHttp`) and the
 * scopes. Throws `ConfigurationError` with a `problem`.
 */
export function checkConfigInputs(config: LoadedConfig): void {
  const label = (field: ConfigField) =>
    inputLabel(field, config.sources[field], config.dotenvPath, config.profile);
  unwrap(validateCallbackUrl(config.callbackUrl, label('callbackUrl')));
  unwrap(validateBaseUrl(config.baseUrl, label('baseUrl'), { allowHttp: config.allowHttp }));
  unwrap(validateScopes(config.scopes, label('scopes')));
}
