import { homedir as osHomedir } from 'node:os';
import { join, resolve, win32 } from 'node:path';
import { APS_BASE_URL, type ApsAuthConfig } from '../config.js';
import { ConfigurationError } from '../errors/configuration-error.js';
import { TokenStoreError } from '../errors/token-store-error.js';
import { normalizeBaseUrl } from '../inputs/base-url.js';
import { unwrap } from '../inputs/input-label.js';
import { validateProfileName } from '../inputs/profile-name.js';
import { splitScopes } from '../inputs/scopes.js';
import { checkConfigInputs, inputLabel } from './config-inputs.js';
import { type ConfigLayers, createLayers, given } from './config-layers.js';
import { type Dotenv, readDotenv } from './dotenv.js';
import { type WithheldSecret, withheldSecret } from './dotenv-rules.js';
import { loadProfile, type ProfileSettings } from './profiles.js';

export { normalizeBaseUrl, splitScopes };

export type ConfigField = 'clientId' | 'clientSecret' | 'callbackUrl' | 'scopes' | 'baseUrl';
export type ConfigSource = 'flag' | 'env' | 'dotenv' | 'profile' | 'default';

type Env = Record<string, string | undefined>;

export interface LoadConfigOptions {
  /** From the command line; `undefined` or an empty string means not given. */
  flags?: Partial<Record<ConfigField | 'profile', string | undefined>> | undefined;
  /**
   * A corrupt saved profile file: `'throw'` (default) throws its `TokenStoreError`; `'report'` goes on as if
   * no profile were saved and puts the error in `profileError` (for `doctor` and `profiles`, which must still
   * say what is wrong).
   */
  corruptProfile?: 'throw' | 'report' | undefined;
  /** Default `process.env`. */
  env?: Record<string, string | undefined> | undefined;
  /** Where `.env` is read. Default `process.cwd()`. */
  cwd?: string | undefined;
  /** Told what was ignored (`DOTENV_HOME_IGNORED`: `APS_AUTH_HOME` in a `.env`). Default: nothing. */
  onWarning?: ((warning: ConfigWarning) => void) | undefined;
}

/** Something the configuration ignored, with a stable code and a message naming the file. */
export interface ConfigWarning {
  code: 'DOTENV_HOME_IGNORED';
  message: string;
}

export interface LoadedConfig {
  profile: string;
  home: string;
  clientId: string | undefined;
  /** Non-enumerable: never printed by `console.log` or `JSON.stringify`. */
  clientSecret: string | undefined;
  callbackUrl: string;
  scopes: string[];
  baseUrl: string;
  sources: Record<ConfigField | 'profile' | 'home', ConfigSource>;
  dotenvPath: string | undefined;
  /** With `corruptProfile: 'report'`: the saved profile file's error (it was then ignored). */
  profileError?: TokenStoreError | undefined;
  /**
   * The saved profile's client id and server (normalised), and whether it holds a secret (never the secret):
   * `undefined` when no profile is saved. Lets a login refuse a `.env` replacing them, and say when the saved
   * secret is not used for the configured client id and server.
   */
  saved?: { clientId: string; baseUrl: string; hasSecret: boolean; serverFromDotenv?: boolean } | undefined;
  /**
   * A client secret was configured but is not used (the `.env` rule, see `withheldSecret`); `clientSecret` is
   * then `undefined`. The profile session warns when a request is made without it.
   */
  secretWithheld?: WithheldSecret | undefined;
  /** The server came from a `.env`, now or when the profile was saved (recorded in the profile). */
  serverFromDotenv?: boolean | undefined;
  /** `APS_AUTH_ALLOW_HTTP=1` in the environment (never a `.env`): plain http to a server that is not loopback. */
  allowHttp?: boolean | undefined;
}

export const DEFAULT_CALLBACK_URL = 'http://localhost:8080/api/auth/callback';
export const DEFAULT_SCOPES: readonly string[] = Object.freeze(['data:read', 'viewables:read']);

/** Where profiles and tokens live by default, per platform. */
export function defaultHome(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  homedir: string = osHomedir(),
): string {
  if (platform === 'win32') {
    const appData = env.APPDATA?.trim() || win32.join(homedir, 'AppData', 'Roaming');
    return win32.join(appData, 'aps-auth');
  }
  if (platform === 'darwin') return join(homedir, 'Library', 'Application Support', 'aps-auth');
  const xdg = env.XDG_CONFIG_HOME?.trim();
  // XDG: a relative path is invalid and must be ignored.
  return xdg?.startsWith('/') ? join(xdg, 'aps-auth') : join(homedir, '.config', 'aps-auth');
}

/** The profile name from flag > environment > `.env`, checked and named by where it came from. */
function resolveProfile(layers: ConfigLayers, flag: string | undefined, dotenvPath: string) {
  const [profile, source] = layers.layered(flag, 'APS_AUTH_PROFILE') ?? ['default', 'default'];
  // Say where the name came from: a variable (or a .env) is not what the user typed.
  const label =
    source === 'flag' || source === 'default' ? undefined : inputLabel('profile', source, dotenvPath);
  unwrap(validateProfileName(profile, label));
  return { profile, source };
}

/** The home holds the secrets: the environment chooses it, never a `.env` (ignored there, with a warning). */
function resolveHome(options: LoadConfigOptions, env: Env, dotenv: Dotenv | undefined, cwd: string) {
  if (given(dotenv?.values.APS_AUTH_HOME) !== undefined) {
    options.onWarning?.({
      code: 'DOTENV_HOME_IGNORED',
      message: `APS_AUTH_HOME in ${dotenv?.path} is ignored: a .env cannot choose where profiles and tokens are kept (set it in the environment).`,
    });
  }
  const fromEnv = given(env.APS_AUTH_HOME);
  return fromEnv === undefined
    ? { home: defaultHome(env), source: 'default' as const }
    : { home: resolve(cwd, fromEnv), source: 'env' as const };
}

/** The saved profile; a corrupt one is thrown, or with `corruptProfile: 'report'` returned as `error`. */
async function loadSaved(home: string, profile: string, corrupt: LoadConfigOptions['corruptProfile']) {
  try {
    return { saved: await loadProfile(home, profile) };
  } catch (error) {
    if (corrupt !== 'report' || !(error instanceof TokenStoreError)) throw error;
    if (error.code !== 'TOKEN_STORE_CORRUPT') throw error;
    return { saved: undefined, error };
  }
}

/**
 * Client id, server and secret with the rules of trust: a saved profile's server goes with its client id only;
 * its secret with its client id and server only; a secret is withheld from what a `.env` chose.
 */
function pickClient(layers: ConfigLayers, saved: ProfileSettings | undefined, profileSource: ConfigSource) {
  const clientId = layers.pick('clientId', saved?.clientId);
  const own = saved !== undefined && saved.clientId === clientId ? saved : undefined;
  const baseUrl = normalizeBaseUrl(layers.pick('baseUrl', own?.baseUrl, APS_BASE_URL) as string);
  const savedSecret =
    own !== undefined && normalizeBaseUrl(own.baseUrl) === baseUrl ? own.clientSecret : undefined;
  const offered = layers.pick('clientSecret', savedSecret);
  const sources = layers.sources as Record<ConfigField, ConfigSource>;
  const savedServerFromDotenv = sources.baseUrl === 'profile' && saved?.baseUrlFrom === 'dotenv';
  // APS itself named by a .env is the server the user meant anyway.
  const apsFromDotenv = sources.baseUrl === 'dotenv' && baseUrl === normalizeBaseUrl(APS_BASE_URL);
  const withheld = withheldSecret(
    { ...sources, profile: profileSource, baseUrl: apsFromDotenv ? 'env' : sources.baseUrl },
    savedServerFromDotenv,
  );
  if (withheld !== undefined) layers.sources.clientSecret = 'default';
  return {
    clientId,
    baseUrl,
    clientSecret: withheld === undefined ? offered : undefined,
    withheld,
    serverFromDotenv: sources.baseUrl === 'dotenv' || savedServerFromDotenv,
  };
}

/**
 * Configuration for the Node front ends. Every field: flag > environment > `.env` in `cwd` > saved profile >
 * default; `sources` says where each came from. The `.env` rules hold here, for every caller: a `.env` never
 * chooses the home (`APS_AUTH_HOME` there is ignored, with a warning); a secret is withheld from what a `.env`
 * chose (`secretWithheld`); a saved profile's server is used only with that profile's client id, and its
 * secret only with its client id and server.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const flags = options.flags ?? {};
  const env = options.env ?? process.env;
  const cwd = resolve(options.cwd ?? process.cwd());
  const dotenv = await readDotenv(cwd);
  const layers = createLayers(flags, env, dotenv?.values ?? {});
  const { profile, source } = resolveProfile(layers, flags.profile, dotenv?.path ?? join(cwd, '.env'));
  const home = resolveHome(options, env, dotenv, cwd);
  const { saved, error: profileError } = await loadSaved(home.home, profile, options.corruptProfile);
  const client = pickClient(layers, saved, source);
  const callbackUrl = layers.pick('callbackUrl', saved?.callbackUrl, DEFAULT_CALLBACK_URL) as string;
  const scopes = layers.pick('scopes', saved?.scopes.join(' '), DEFAULT_SCOPES.join(' ')) as string;
  const config: LoadedConfig = {
    profile,
    home: home.home,
    clientId: client.clientId,
    clientSecret: undefined,
    callbackUrl,
    scopes: splitScopes(scopes),
    baseUrl: client.baseUrl,
    sources: { profile: source, home: home.source, ...layers.sources } as LoadedConfig['sources'],
    dotenvPath: dotenv?.path,
    serverFromDotenv: client.serverFromDotenv,
    allowHttp: env.APS_AUTH_ALLOW_HTTP?.trim() === '1',
  };
  if (profileError !== undefined) config.profileError = profileError;
  if (saved !== undefined) {
    config.saved = {
      clientId: saved.clientId,
      baseUrl: normalizeBaseUrl(saved.baseUrl),
      hasSecret: saved.clientSecret !== undefined,
      serverFromDotenv: saved.baseUrlFrom === 'dotenv',
    };
  }
  if (client.withheld !== undefined) config.secretWithheld = client.withheld;
  // Non-enumerable: never printed by `console.log` or `JSON.stringify`.
  Object.defineProperty(config, 'clientSecret', {
    value: client.clientSecret,
    enumerable: false,
    writable: true,
  });
  return config;
}

/** A client id is configured (else the CLI runs its demo). */
export function hasCredentials(config: LoadedConfig): boolean {
  return config.clientId !== undefined && config.clientId !== '';
}

/** Core's configuration from a loaded one. Throws `ConfigurationError` when no client id is configured. */
export function toCoreConfig(config: LoadedConfig, extra: Partial<ApsAuthConfig> = {}): ApsAuthConfig {
  if (!hasCredentials(config)) {
    throw new ConfigurationError(
      'clientId',
      'No APS client id: set APS_CLIENT_ID (in the environment or .env), or sign in once to save it in the profile.',
    );
  }
  refuseDotenvServerWithOutsideSecret(config);
  checkConfigInputs(config);
  // A plain object (spreading it keeps the secret); core's resolveConfig hides the secret once resolved.
  return {
    clientId: config.clientId as string,
    clientSecret: config.clientSecret,
    redirectUri: config.callbackUrl,
    scopes: [...config.scopes],
    baseUrl: config.baseUrl,
    ...extra,
  };
}

/**
 * A login must never let a `.env` silently re-point a saved profile: `APS_BASE_URL` from `.env` (other than APS
 * itself) naming another server than the saved profile's, or with another client id than the saved one, and
 * `APS_CLIENT_ID` from `.env` replacing the saved client id, are refused (`ConfigurationError`). Saving them
 * would make the `.env`'s server the profile's own, where a secret from the environment is later sent. Set the
 * value in the environment (or use another profile) to do it deliberately. Nothing is refused for a new profile.
 */
export function refuseDotenvProfileChange(config: LoadedConfig): void {
  const saved = config.saved;
  if (saved === undefined) return;
  const where = config.dotenvPath ?? '.env';
  const profileFlag = config.profile === 'default' ? '' : ` --profile ${config.profile}`;
  const changes: string[] = [];
  const serverFromDotenv =
    config.sources.baseUrl === 'dotenv' && config.baseUrl !== normalizeBaseUrl(APS_BASE_URL);
  if (serverFromDotenv && config.baseUrl !== saved.baseUrl) {
    changes.push(`server ${saved.baseUrl} with ${config.baseUrl} (APS_BASE_URL)`);
  }
  if (config.clientId !== saved.clientId && (serverFromDotenv || config.sources.clientId === 'dotenv')) {
    changes.push(`client id ${saved.clientId} with ${config.clientId} (APS_CLIENT_ID)`);
  }
  if (changes.length === 0) return;
  const vars = [
    ...new Set(changes.map((change) => (change.includes('APS_BASE_URL') ? 'APS_BASE_URL' : 'APS_CLIENT_ID'))),
  ];
  throw new ConfigurationError(
    vars.includes('APS_BASE_URL') ? 'baseUrl' : 'clientId',
    `${where} would replace the saved profile "${config.profile}"'s ${changes.join(' and ')}: refused, so that a ` +
      `.env cannot re-point a profile (and later receive its secret). To do it deliberately, set ${vars.join(' and ')} in ` +
      `the environment (e.g. ${vars.map((v) => `${v}=…`).join(' ')} aps-auth login${profileFlag}), or sign in to ` +
      'another profile with --profile NAME.',
  );
}

/**
 * A `.env` in the working directory (e.g. of a cloned repository) must not send a secret it did not give to a
 * server it names: `APS_BASE_URL` from `.env` (other than APS itself) with a secret from the environment or a
 * flag is refused. (A saved profile's secret is only used when the profile was saved for that same server.)
 */
function refuseDotenvServerWithOutsideSecret(config: LoadedConfig): void {
  if (config.sources.baseUrl !== 'dotenv' || config.clientSecret === undefined) return;
  if (config.sources.clientSecret !== 'env' && config.sources.clientSecret !== 'flag') return;
  if (config.baseUrl === normalizeBaseUrl(APS_BASE_URL)) return;
  throw new ConfigurationError(
    'baseUrl',
    `APS_BASE_URL (${config.baseUrl}) comes from ${config.dotenvPath ?? '.env'} while the client secret comes from ` +
      `the ${config.sources.clientSecret === 'env' ? 'environment' : 'command line'}: refused, so that a .env cannot ` +
      'send your secret to another server. Set APS_BASE_URL in the environment too (or the secret in that .env) if you trust it.',
  );
}
