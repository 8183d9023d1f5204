import { getTwoLeggedToken } from '@aps-auth/core';
import { toCoreConfig } from '@aps-auth/core/node';
import { loadCliConfig } from '../../context.js';
import { CliError } from '../../errors.js';
import type { CommandResult, RunDeps } from '../../io.js';
import { writeAccessToken } from '../../output.js';
import type { TwoLeggedOptions } from './parse.js';

export async function run(options: TwoLeggedOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  const now = deps.now ?? Date.now;
  const config = await loadCliConfig(io, { profile: options.profile });
  if (config.clientId === undefined) {
    throw new CliError('No APS client id: set APS_CLIENT_ID (and APS_CLIENT_SECRET).');
  }
  if (config.clientSecret === undefined) {
    throw new CliError(
      'A two-legged token needs the client secret of a confidential app: set APS_CLIENT_SECRET.',
    );
  }
  const scopes = options.scopes.split(/[\s,]+/).filter(Boolean);
  const token = await getTwoLeggedToken(
    toCoreConfig(config, deps.now === undefined ? {} : { now: deps.now }),
    {
      scopes,
      signal: deps.signal,
    },
  );
  writeAccessToken(io, token, { json: options.json, now: now() });
  return 0;
}
