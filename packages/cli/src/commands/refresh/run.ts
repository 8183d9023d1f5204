import { createStore, loadCliConfig } from '../../context.js';
import { noTokenError } from '../../errors.js';
import type { CommandResult, RunDeps } from '../../io.js';
import { describeExpiry, isoTime, secondsUntil, writeJson } from '../../output.js';
import { getValidToken } from '../../token-manager.js';
import type { RefreshOptions } from './parse.js';

export async function run(options: RefreshOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  const now = deps.now ?? Date.now;
  const config = await loadCliConfig(io, { profile: options.profile });
  const store = createStore(config, io);
  // None stored, or one of another client id or server (named, as token and exec do).
  if (config.clientId === undefined || (await store.load(config.profile)) === undefined) {
    throw await noTokenError(config.profile, config, store);
  }
  const token = await getValidToken(config, store, { forceRefresh: true, now: deps.now });
  if (options.json) {
    writeJson(io, {
      profile: config.profile,
      scopes: token.scopes,
      expiresAt: isoTime(token.expiresAt),
      expiresIn: secondsUntil(token.expiresAt, now()),
    });
  } else {
    io.stderr.write(
      `Refreshed the token of profile "${config.profile}"; it expires ${describeExpiry(token.expiresAt, now())}.\n`,
    );
  }
  return 0;
}
