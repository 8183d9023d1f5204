import { validateProfileName } from '@aps-auth/core';
import {
  type ProfileSession as CoreProfileSession,
  followSignInLink,
  listProfiles,
  openProfile,
  type ProfileStatus,
  REFRESH_TOKEN_LIFETIME_MS,
  type SessionWarning,
} from '@aps-auth/core/node';
import type {
  DownscopedToken,
  FieldProblem,
  ProfileSession,
  SessionFactoryOptions,
  SessionStatus,
  Setup,
  SetupFieldName,
  SetupInput,
  SignInOptions,
  SignOutResult,
} from './session.js';
import { validateSetup } from './validate-setup.js';

export interface CoreSessionOptions extends SessionFactoryOptions {
  now?: (() => number) | undefined;
  /** Core's warnings (a withheld secret, a saved secret not kept, a store notice). */
  onWarning?: ((warning: SessionWarning) => void) | undefined;
}

/**
 * The TUI's session on core's profile session (`openProfile()`): every use case and every `.env` rule is
 * core's; this file only opens the session with what was typed and maps core's status to the screens' shape.
 */
export function createCoreSession(options: CoreSessionOptions): ProfileSession {
  return new CoreSession(options);
}

class CoreSession implements ProfileSession {
  readonly #options: CoreSessionOptions;
  /** The session in use: the loaded configuration, then the one of the last successful sign-in. */
  #session: CoreProfileSession | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(options: CoreSessionOptions) {
    this.#options = options;
  }

  async loadSetup(): Promise<Setup> {
    this.#session = await this.#open();
    return toSetup(this.#session);
  }

  validate(input: SetupInput): Partial<Record<SetupFieldName, FieldProblem>> {
    return validateSetup(input);
  }

  async signIn(signIn: SignInOptions): Promise<SessionStatus> {
    const session = await this.#open(typedFlags(await this.#current(), signIn.setup));
    const fetchBrowser = this.#options.env.APS_AUTH_BROWSER === 'fetch';
    // Tracked: a cancel during the code exchange lets it finish; `settle` waits for it (the token may be stored).
    const status = await this.#track(
      session.signIn({
        // The relay's URL is for any device: nothing opens it here (`o` does, on request), as `aps-auth login --relay`.
        openUrl:
          !signIn.openBrowser || signIn.manual || signIn.relay !== undefined
            ? false
            : fetchBrowser
              ? (url: string) => followSignInLink(url)
              : undefined,
        manual: signIn.manual,
        relay: signIn.relay,
        timeoutMs: signIn.timeoutMs,
        signal: signIn.signal,
        onEvent: (event) => signIn.onEvent(event.type === 'stored' ? { type: 'stored' } : event),
      }),
    );
    this.#session = session;
    return toSessionStatus(status);
  }

  async status(signal?: AbortSignal): Promise<SessionStatus> {
    const session = await this.#current();
    return toSessionStatus(await session.status({ userInfo: true, signal }));
  }

  async refresh(): Promise<void> {
    // Never aborted: a refresh in flight must end so that its rotated refresh token is saved.
    await this.#track((await this.#current()).getToken({ forceRefresh: true }));
  }

  async accessToken(): Promise<string> {
    return (await this.#track((await this.#current()).getToken())).accessToken;
  }

  async downscopedToken(scopes: string[]): Promise<DownscopedToken> {
    const token = await this.#track((await this.#current()).getToken({ scopes }));
    return { accessToken: token.accessToken, scopes: [...token.scopes], expiresAt: token.expiresAt };
  }

  async signOut(signal?: AbortSignal): Promise<SignOutResult> {
    return (await this.#current()).signOut({ signal });
  }

  checkProfileName(name: string): FieldProblem | undefined {
    const check = validateProfileName(name);
    return check.ok ? undefined : { code: check.error.code, message: check.error.message, severity: 'error' };
  }

  async settle(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
  }

  async listProfiles(): Promise<{ name: string; signedIn: boolean }[]> {
    const { config } = await this.#current();
    return (await listProfiles(config.home)).map((p) => ({ name: p.name, signedIn: p.signedIn }));
  }

  #open(flags: Record<string, string | undefined> = {}): Promise<CoreProfileSession> {
    const { profile, env, cwd, now, onWarning } = this.#options;
    return openProfile({ profile, flags, env, cwd, now, onWarning });
  }

  async #current(): Promise<CoreProfileSession> {
    this.#session ??= await this.#open();
    return this.#session;
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    const forget = () => this.#inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }
}

/** Core's status document in the screens' shape (core's message for a token that cannot be used). */
export function toSessionStatus(status: ProfileStatus): SessionStatus {
  switch (status.state) {
    case 'valid':
    case 'expiring':
      return {
        state: status.state,
        user:
          status.user === null
            ? null
            : { name: status.user.name ?? status.user.username, email: status.user.email },
        scopes: [...status.scopes],
        accessExpiresAt: status.expiresAt ?? 0,
        refreshIssuedAt: status.refreshIssuedAt,
        refreshLifetimeMs: REFRESH_TOKEN_LIFETIME_MS,
      };
    case 'other-client':
    case 'corrupt':
    case 'refresh-rejected':
      return { state: status.state, message: status.problem?.message ?? status.state };
    default:
      return { state: 'signed-out' };
  }
}

function toSetup({ config }: CoreProfileSession): Setup {
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
function typedFlags(base: CoreProfileSession, input: SetupInput): Record<string, string | undefined> {
  const { config } = base;
  const changed = (typed: string, loaded: string | undefined) =>
    typed !== (loaded ?? '') ? typed : undefined;
  return {
    clientId: changed(input.clientId.trim(), config.clientId),
    clientSecret:
      input.clientSecret === undefined || input.clientSecret === '' ? undefined : input.clientSecret,
    callbackUrl: changed(input.callbackUrl.trim(), config.callbackUrl),
    scopes: changed(input.scopes.join(' '), config.scopes.join(' ')),
  };
}
