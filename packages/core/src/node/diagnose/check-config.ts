import { type LoadedConfig, toCoreConfig } from '../load-config.js';
import type { DiagnosticCheck } from './types.js';

const SOURCE_LABEL = {
  flag: 'a flag',
  env: 'the environment',
  dotenv: '.env',
  profile: 'the profile',
  default: 'default',
};

/** The client id and secret, and the same `.env` refusals as every command that sends a request. */
export function checkConfig(config: LoadedConfig): DiagnosticCheck {
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
