import { revokeToken } from '@aps-auth/core';
import { toCoreConfig } from '@aps-auth/core/node';
import { createStore, loadCliConfig } from '../../context.js';
import { ExitCode } from '../../exit-codes.js';
import type { CommandResult, RunDeps } from '../../io.js';
import { writeJson } from '../../output.js';
import type { LogoutOptions } from './parse.js';

export async function run(options: LogoutOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  const config = await loadCliConfig(io, { profile: options.profile });
  const store = createStore(config, io);
  const token = config.clientId === undefined ? undefined : await store.load(config.profile);
  const report = (revoked: boolean | null, forgotten: boolean) => {
    if (options.json)
      writeJson(io, { profile: config.profile, wasSignedIn: token !== undefined, revoked, forgotten });
  };
  if (token === undefined) {
    if (!options.json) io.stderr.write(`Not signed in (profile "${config.profile}"); nothing to do.\n`);
    report(null, false);
    return ExitCode.OK;
  }
  const core = toCoreConfig(config);
  // The refresh token first: revoking it ends the grant (its access tokens too, at APS and the emulator).
  const failures: string[] = [];
  const attempts = [
    ...(token.refreshToken === undefined
      ? []
      : [{ token: token.refreshToken, tokenTypeHint: 'refresh_token' as const }]),
    { token: token.accessToken, tokenTypeHint: 'access_token' as const },
  ];
  for (const attempt of attempts) {
    try {
      await revokeToken(core, { ...attempt, signal: deps.signal });
    } catch (error) {
      failures.push(
        `${attempt.tokenTypeHint.replace('_', ' ')}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  await store.delete(config.profile);
  report(failures.length === 0, true);
  if (failures.length > 0) {
    io.stderr.write(
      `aps-auth: signed out locally (profile "${config.profile}"), but revocation at the server failed:\n${failures
        .map((line) => `  ${line}\n`)
        .join('')}`,
    );
    return ExitCode.NETWORK;
  }
  if (!options.json)
    io.stderr.write(`Signed out (profile "${config.profile}"): tokens revoked and forgotten.\n`);
  return ExitCode.OK;
}
