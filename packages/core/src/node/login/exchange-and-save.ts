import type { ResolvedConfig } from '../../config.js';
import type { AuthorizationRequest } from '../../create-authorization-request.js';
import { exchangeCode } from '../../exchange-code.js';
import type { Token } from '../../token.js';
import type { TokenStore } from '../../token-store.js';
import type { createEmitter } from './events.js';

const noop = (): void => undefined;

/**
 * Exchanges the code and saves the token. The store's lock is requested first and the code exchanged while
 * it is taken (a file store makes the lock directory and loads its lock library while the token endpoint
 * answers): the token is still saved under the lock, the lock is released when the exchange fails, and an
 * exchange error wins over a lock error (it says more). `onStored` is told once the store has saved the
 * token (durably, for a file store), before the lock is released.
 */
export async function exchangeAndSave(
  config: ResolvedConfig,
  request: AuthorizationRequest,
  code: string,
  target: { store: TokenStore; key: string; signal?: AbortSignal | undefined; onStored: () => void },
): Promise<Token> {
  const { store, key } = target;
  let exchanged: (token: Promise<Token>) => void = noop;
  const exchanging = new Promise<Token>((resolve) => {
    exchanged = resolve;
  });
  exchanging.catch(noop);
  const save = async (): Promise<Token> => {
    const token = await exchanging;
    await store.save(key, token);
    target.onStored();
    return token;
  };
  const locked = store.lock ? store.lock(key, save) : save();
  locked.catch(noop);
  exchanged(
    exchangeCode(config, {
      code,
      codeVerifier: request.codeVerifier,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      signal: target.signal,
    }),
  );
  try {
    return await locked;
  } catch (error) {
    await exchanging;
    throw error;
  }
}

/**
 * The end of every sign-in mode: waits for the code (or the deadline, which rejects), then exchanges and saves
 * it, telling the front end each step (`waiting`, `callback-received`, `exchanging`, `stored`).
 */
export async function receiveAndExchange(
  config: ResolvedConfig,
  request: AuthorizationRequest,
  code: { waiting: Promise<string>; deadline: { promise: Promise<never>; clear(): void } },
  events: ReturnType<typeof createEmitter>,
  target: { store: TokenStore; key: string; signal?: AbortSignal | undefined },
): Promise<Token> {
  events.emit({ type: 'waiting' });
  const received = await Promise.race([code.waiting, code.deadline.promise]);
  code.deadline.clear();
  events.emit({ type: 'callback-received' });
  events.emit({ type: 'exchanging' });
  return exchangeAndSave(config, request, received, {
    ...target,
    onStored: () => events.emit({ type: 'stored', key: target.key }),
  });
}
