import {
  getUserInfo,
  isApsAuthError,
  isLoopbackHost,
  isTokenExpiring,
  isTokenStoreError,
  normalizeScopes,
  type RevocationFailure,
  resolveConfig,
  type Token,
  TokenManager,
} from '@aps-auth/core';
import {
  checkProfileName,
  FileTokenStore,
  type LoadedConfig,
  listProfiles,
  loadConfig,
  login,
  refuseDotenvProfileChange,
  saveProfile,
  toCoreConfig,
} from '@aps-auth/core/node';
import { followAuthorizeRedirects } from './fetch-browser.js';
import type {
  DownscopedToken,
  FieldProblem,
  ProfileSession,
  SessionFactoryOptions,
  SessionStatus,
  SessionUser,
  Setup,
  SetupFieldName,
  SetupInput,
  SignInOptions,
  SignOutResult,
} from './session.js';

/** A refresh token lives 15 days at APS (each refresh rotates it). */
const REFRESH_LIFETIME_MS = 15 * 24 * 60 * 60 * 1000;

export interface CoreSessionOptions extends SessionFactoryOptions {
  now?: (() => number) | undefined;
}

/**
 * The TUI's session on what `@aps-auth/core/node` exports today (`loadConfig`, `login`, `FileTokenStore`,
 * `TokenManager`, `saveProfile`, ...). The one file to swap when core's profile session lands.
 */
export function createCoreSession(options: CoreSessionOptions): ProfileSession {
  return new CoreSession(options);
}

class CoreSession implements ProfileSession {
  readonly #options: CoreSessionOptions;
  readonly #now: () => number;
  /** The configuration in use: loaded, then the one of the last successful sign-in. */
  #active: LoadedConfig | undefined;
  #manager: { config: LoadedConfig; manager: TokenManager } | undefined;
  #user: { accessToken: string; user: SessionUser | null } | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(options: CoreSessionOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  async loadSetup(): Promise<Setup> {
    this.#active = await this.#load();
    return toSetup(this.#active);
  }

  validate(input: SetupInput): Partial<Record<SetupFieldName, FieldProblem>> {
    return validateSetup(input);
  }

  async signIn(signIn: SignInOptions): Promise<void> {
    const config = await this.#load(typedFlags(await this.#current(), signIn.setup));
    // A `.env` never silently re-points a saved profile (its server would become the profile's own).
    refuseDotenvProfileChange(config);
    const fetchBrowser = this.#options.env.APS_AUTH_BROWSER === 'fetch';
    await login({
      config: toCoreConfig(config, { now: this.#now }),
      store: storeFor(config),
      key: config.profile,
      openUrl:
        !signIn.openBrowser || signIn.manual ? false : fetchBrowser ? followAuthorizeRedirects : undefined,
      manual: signIn.manual,
      timeoutMs: signIn.timeoutMs,
      signal: signIn.signal,
      onEvent: (event) => signIn.onEvent(event.type === 'stored' ? { type: 'stored' } : event),
    });
    await saveProfile(config.home, config.profile, {
      clientId: config.clientId!,
      ...(config.clientSecret === undefined ? {} : { clientSecret: config.clientSecret }),
      callbackUrl: config.callbackUrl,
      scopes: config.scopes,
      baseUrl: config.baseUrl,
    });
    this.#active = config;
  }

  async status(signal?: AbortSignal): Promise<SessionStatus> {
    const config = await this.#current();
    if (config.clientId === undefined) return { state: 'signed-out' };
    const store = storeFor(config);
    let token: Token | undefined;
    try {
      token = await store.load(config.profile);
    } catch (error) {
      if (isTokenStoreError(error) && error.code === 'TOKEN_STORE_CORRUPT') {
        return { state: 'corrupt', message: error.message };
      }
      throw error;
    }
    if (token === undefined) return describeMissing(config, store);
    const expiring = isTokenExpiring(token, this.#now());
    if (!expiring && this.#user?.accessToken !== token.accessToken) {
      this.#user = {
        accessToken: token.accessToken,
        user: await readUser(config, token.accessToken, signal),
      };
    }
    return {
      state: expiring ? 'expiring' : 'valid',
      user: this.#user?.accessToken === token.accessToken ? this.#user.user : null,
      scopes: [...token.scopes],
      accessExpiresAt: token.expiresAt,
      refreshIssuedAt: token.refreshToken === undefined ? null : token.issuedAt,
      refreshLifetimeMs: REFRESH_LIFETIME_MS,
    };
  }

  async refresh(): Promise<void> {
    // Never aborted: a refresh in flight must end so that its rotated refresh token is saved.
    await this.#track((await this.#managerNow()).getToken({ forceRefresh: true }));
  }

  async accessToken(): Promise<string> {
    return (await this.#track((await this.#managerNow()).getToken())).accessToken;
  }

  async downscopedToken(scopes: string[]): Promise<DownscopedToken> {
    const token = await this.#track((await this.#managerNow()).getToken({ scopes }));
    return { accessToken: token.accessToken, scopes: [...token.scopes], expiresAt: token.expiresAt };
  }

  async signOut(signal?: AbortSignal): Promise<SignOutResult> {
    const failures: string[] = [];
    const onRevocationFailure = (failure: RevocationFailure) => failures.push(describeFailure(failure));
    try {
      const { wasSignedIn } = await (await this.#managerNow()).signOut({ signal, onRevocationFailure });
      return { wasSignedIn, revocationFailures: failures };
    } catch (error) {
      if (failures.length === 0) throw error;
      return { wasSignedIn: true, revocationFailures: failures };
    }
  }

  checkProfileName(name: string): FieldProblem | undefined {
    try {
      checkProfileName(name);
      return undefined;
    } catch (error) {
      return toProblem(error);
    }
  }

  async settle(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
  }

  async listProfiles(): Promise<{ name: string; signedIn: boolean }[]> {
    const config = await this.#current();
    return (await listProfiles(config.home)).map((p) => ({ name: p.name, signedIn: p.signedIn }));
  }

  #load(flags: Partial<Record<string, string | undefined>> = {}): Promise<LoadedConfig> {
    const { profile, env, cwd } = this.#options;
    return loadConfig({ flags: { profile, ...flags }, env, cwd });
  }

  async #current(): Promise<LoadedConfig> {
    this.#active ??= await this.#load();
    return this.#active;
  }

  /** One manager per configuration: its single flight covers every refresh of this session. */
  async #managerNow(): Promise<TokenManager> {
    const config = await this.#current();
    if (this.#manager?.config !== config) {
      const manager = new TokenManager({
        config: toCoreConfig(config, { now: this.#now }),
        store: storeFor(config),
        key: config.profile,
      });
      this.#manager = { config, manager };
    }
    return this.#manager.manager;
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    const forget = () => this.#inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }
}

function storeFor(config: LoadedConfig): FileTokenStore {
  return new FileTokenStore({ home: config.home, clientId: config.clientId, baseUrl: config.baseUrl });
}

function toProblem(error: unknown): FieldProblem {
  return {
    code: isApsAuthError(error) ? error.code : 'INVALID',
    message: error instanceof Error ? error.message : String(error),
    severity: 'error',
  };
}

function toSetup(config: LoadedConfig): Setup {
  const { sources } = config;
  return {
    profile: config.profile,
    clientId: { value: config.clientId ?? '', source: sources.clientId },
    clientSecret: { present: config.clientSecret !== undefined, source: sources.clientSecret },
    callbackUrl: { value: config.callbackUrl, source: sources.callbackUrl },
    scopes: { value: [...config.scopes], source: sources.scopes },
    baseUrl: { value: config.baseUrl, source: sources.baseUrl },
    dotenvPath: config.dotenvPath,
  };
}

/** Only what the person changed counts as typed (like a flag); unchanged values keep their source's rules. */
function typedFlags(base: LoadedConfig, input: SetupInput): Record<string, string | undefined> {
  const changed = (typed: string, loaded: string | undefined) =>
    typed !== (loaded ?? '') ? typed : undefined;
  return {
    clientId: changed(input.clientId.trim(), base.clientId),
    clientSecret:
      input.clientSecret === undefined || input.clientSecret === '' ? undefined : input.clientSecret,
    callbackUrl: changed(input.callbackUrl.trim(), base.callbackUrl),
    scopes: changed(input.scopes.join(' '), base.scopes.join(' ')),
  };
}

/** Each field checked on its own with core's validators (`resolveConfig`, `normalizeScopes`). */
function validateSetup(input: SetupInput): Partial<Record<SetupFieldName, FieldProblem>> {
  const problems: Partial<Record<SetupFieldName, FieldProblem>> = {};
  const check = (field: SetupFieldName, fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      problems[field] = toProblem(error);
    }
  };
  check('clientId', () => resolveConfig({ clientId: input.clientId }));
  if (input.clientSecret !== undefined && input.clientSecret !== '') {
    check('clientSecret', () => resolveConfig({ clientId: 'x', clientSecret: input.clientSecret }));
  }
  check('callbackUrl', () => resolveConfig({ clientId: 'x', redirectUri: input.callbackUrl }));
  if (problems.callbackUrl === undefined && !isLoopbackUrl(input.callbackUrl)) {
    problems.callbackUrl = {
      code: 'CALLBACK_URL_UNSUPPORTED',
      message:
        'Not an http loopback URL: nothing here can receive the callback, so the sign-in uses the manual ' +
        'mode (paste the URL the browser was redirected to).',
      severity: 'note',
    };
  }
  check('scopes', () => normalizeScopes(input.scopes));
  return problems;
}

export function isLoopbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

async function describeMissing(config: LoadedConfig, store: FileTokenStore): Promise<SessionStatus> {
  const file = await store.loadFile(config.profile).catch(() => undefined);
  if (file === undefined) return { state: 'signed-out' };
  const base = (value: string | undefined) => value?.trim().replace(/\/+$/, '');
  const differences: string[] = [];
  if (file.clientId !== undefined && file.clientId !== config.clientId) {
    differences.push(`client id ${file.clientId}`);
  }
  if (file.baseUrl !== undefined && base(file.baseUrl) !== base(config.baseUrl)) {
    differences.push(`server ${file.baseUrl}`);
  }
  if (differences.length === 0) return { state: 'signed-out' };
  return {
    state: 'other-client',
    message: `The token stored for profile "${config.profile}" is for another ${differences.join(' and ')}: it is not used.`,
  };
}

async function readUser(
  config: LoadedConfig,
  accessToken: string,
  signal: AbortSignal | undefined,
): Promise<SessionUser | null> {
  try {
    const info = await getUserInfo(toCoreConfig(config, { timeoutMs: 5000, retry: { limit: 0 } }), {
      accessToken,
      signal,
    });
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
    return { name: text(info.name) ?? text(info.preferred_username), email: text(info.email) };
  } catch {
    return null;
  }
}

function describeFailure({ tokenTypeHint, error }: RevocationFailure): string {
  return `${tokenTypeHint.replace('_', ' ')}: ${error instanceof Error ? error.message : String(error)}`;
}
