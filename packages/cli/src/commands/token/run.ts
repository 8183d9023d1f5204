import { isTokenExpiring, type Token } from '@aps-auth/core';
import { createStore, loadCliConfig } from '../../context.js';
import { noTokenError } from '../../errors.js';
import type { CommandResult, RunDeps } from '../../io.js';
import { writeAccessToken } from '../../output.js';
import type { TokenOptions } from './parse.js';

/**
 * The hot path of scripts: config, one file read, print. Only an expiring token (or `--scopes`) loads the
 * token manager, which takes the store's lock, re-reads and refreshes once across processes.
 */
export async function run(options: TokenOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  const now = deps.now ?? Date.now;
  const config = await loadCliConfig(io, { profile: options.profile });
  const store = createStore(config, io);
  let token: Token | undefined = await store.load(config.profile);
  if (token === undefined) throw await noTokenError(config.profile, config, store);
  if (options.scopes !== undefined || isTokenExpiring(token, now())) {
    const { getValidToken } = await import('../../token-manager.js');
    token = await getValidToken(config, store, { scopes: options.scopes, now: deps.now });
  }
  writeAccessToken(io, token, { json: options.json, now: now(), profile: config.profile });
  return 0;
}
