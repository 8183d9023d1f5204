import { openCliProfile } from '../../context.js';
import type { CommandResult, RunDeps } from '../../io.js';
import { writeAccessToken } from '../../output.js';
import type { TokenOptions } from './parse.js';

/**
 * The hot path of scripts: config, one file read, print. Only an expiring token (or `--scopes`) makes the
 * session load the token manager, which takes the store's lock, re-reads and refreshes once across processes.
 */
export async function run(options: TokenOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  const now = deps.now ?? Date.now;
  const session = await openCliProfile(io, deps, { profile: options.profile });
  const token = await session.getToken({ scopes: options.scopes });
  writeAccessToken(io, token, { json: options.json, now: now(), profile: session.config.profile });
  return 0;
}
