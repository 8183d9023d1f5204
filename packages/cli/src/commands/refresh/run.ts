import { openCliProfile } from '../../context.js';
import type { CommandResult, RunDeps } from '../../io.js';
import { describeExpiry, isoTime, secondsUntil, writeJson } from '../../output.js';
import type { RefreshOptions } from './parse.js';

export async function run(options: RefreshOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  const now = deps.now ?? Date.now;
  const session = await openCliProfile(io, deps, { profile: options.profile });
  const profile = session.config.profile;
  const token = await session.getToken({ forceRefresh: true });
  if (options.json) {
    writeJson(io, {
      profile,
      scopes: token.scopes,
      expiresAt: isoTime(token.expiresAt),
      expiresIn: secondsUntil(token.expiresAt, now()),
    });
  } else {
    io.stderr.write(
      `Refreshed the token of profile "${profile}"; it expires ${describeExpiry(token.expiresAt, now())}.\n`,
    );
  }
  return 0;
}
