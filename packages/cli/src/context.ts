import { openProfile, type ProfileSession } from '@aps-auth/core/node';
import type { Io, RunDeps } from './io.js';

export interface ConfigFlags {
  profile?: string | undefined;
  scopes?: string | undefined;
  callbackUrl?: string | undefined;
}

/**
 * The profile session of a command: flag > environment > `.env` in the cwd > saved profile > default, with the
 * `.env` rules enforced by core. Its warnings go to stderr.
 */
export function openCliProfile(
  io: Io,
  deps: Pick<RunDeps, 'now' | 'setTimer'>,
  flags: ConfigFlags = {},
  options: { corruptProfile?: 'throw' | 'report' } = {},
): Promise<ProfileSession> {
  return openProfile({
    ...options,
    profile: flags.profile,
    flags: { scopes: flags.scopes, callbackUrl: flags.callbackUrl },
    env: io.env,
    cwd: io.cwd,
    ...(deps.now === undefined ? {} : { now: deps.now }),
    ...(deps.setTimer === undefined ? {} : { setTimer: deps.setTimer }),
    onWarning: (warning) => io.stderr.write(`aps-auth: ${warning.message}\n`),
  });
}
