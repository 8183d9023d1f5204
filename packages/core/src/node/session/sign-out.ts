import { rename } from 'node:fs/promises';
import { isTokenStoreError } from '../../errors/guards.js';
import { type RevocationFailure, TokenManager } from '../../token-manager.js';
import { createStore, requestConfig, type SessionContext } from './context.js';
import { readTokenState } from './token-state.js';
import type { SignOutReport } from './types.js';

type Outcome = SignOutReport['outcome'];
type Report = (outcome: Outcome, extra?: Partial<SignOutReport>) => SignOutReport;

const reporter =
  (tokenPath: string): Report =>
  (outcome, extra = {}) => ({
    outcome,
    revoked: null,
    revocationFailures: [],
    movedAsideTo: null,
    tokenPath,
    storedFor: null,
    ...extra,
  });

/** A corrupt token file: nothing can be revoked; it is moved aside (as a save does), never deleted. */
async function moveAside(context: SessionContext, report: Report): Promise<SignOutReport> {
  const store = createStore(context);
  const path = store.pathFor(context.config.profile);
  const aside = `${path}.corrupt-${new Date(context.now()).toISOString().replace(/[:.]/g, '-')}`;
  await store.lock(context.config.profile, () => rename(path, aside));
  return report('moved-aside', { movedAsideTo: aside });
}

/**
 * Signs this profile out: after a refresh in flight and under the store's lock (so no refresh rotates the
 * refresh token between the read and the delete), the refresh token is revoked first, then the access token,
 * then the file is deleted. A token of another client id or server is left alone; a corrupt file moved aside.
 */
export async function signOut(
  context: SessionContext,
  signal: AbortSignal | undefined,
): Promise<SignOutReport> {
  const { config } = context;
  const store = createStore(context, signal);
  const report = reporter(store.pathFor(config.profile));
  const read = await readTokenState(config, store, context.now());
  if (read.state === 'corrupt') return moveAside(context, report);
  if (read.state === 'signed-out') return report('nothing-to-do');
  if (read.state === 'other-client') {
    return report('left-in-place', {
      storedFor: { clientId: read.error.storedClientId ?? null, baseUrl: read.error.storedBaseUrl ?? null },
    });
  }
  const failures: RevocationFailure[] = [];
  const manager = new TokenManager({ config: requestConfig(context), store, key: config.profile });
  try {
    const { wasSignedIn } = await manager.signOut({
      signal,
      onRevocationFailure: (failure) => failures.push(failure),
    });
    if (!wasSignedIn) return report('nothing-to-do');
  } catch (error) {
    if (isTokenStoreError(error) && error.code === 'TOKEN_STORE_CORRUPT') return moveAside(context, report);
    if (failures.length === 0) throw error;
  }
  return report('signed-out', {
    revoked: failures.length === 0,
    revocationFailures: failures.map(({ tokenTypeHint, error }) => ({
      tokenTypeHint,
      code:
        typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'ERROR',
      message: error instanceof Error ? error.message : String(error),
    })),
  });
}
