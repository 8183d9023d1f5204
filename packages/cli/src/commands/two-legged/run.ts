import { openCliProfile } from '../../context.js';
import type { CommandResult, RunDeps } from '../../io.js';
import { writeAccessToken } from '../../output.js';
import type { TwoLeggedOptions } from './parse.js';

export async function run(options: TwoLeggedOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  const now = deps.now ?? Date.now;
  const session = await openCliProfile(io, deps, { profile: options.profile });
  const token = await session.getTwoLeggedToken({ scopes: options.scopes, signal: deps.signal });
  writeAccessToken(io, token, { json: options.json, now: now() });
  return 0;
}
