import { rename } from 'node:fs/promises';
import { isTokenStoreError, revokeToken, type Token } from '@aps-auth/core';
import { type FileTokenStore, type LoadedConfig, toCoreConfig } from '@aps-auth/core/node';
import { createStore, loadCliConfig } from '../../context.js';
import { noTokenError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { CommandResult, RunDeps } from '../../io.js';
import { writeJson } from '../../output.js';
import type { LogoutOptions } from './parse.js';

export async function run(options: LogoutOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  const config = await loadCliConfig(io, { profile: options.profile });
  const store = createStore(config, io);
  const json = (document: Record<string, unknown>) => {
    if (options.json) writeJson(io, { profile: config.profile, ...document });
  };
  // Nothing there: no lock taken (a logout that has nothing to do never creates the home).
  const present = await store.loadFile(config.profile).then(
    (file) => file !== undefined,
    (error: unknown) => isTokenStoreError(error) && error.code === 'TOKEN_STORE_CORRUPT',
  );
  if (!present) {
    if (!options.json) io.stderr.write(`Not signed in (profile "${config.profile}"); nothing to do.\n`);
    json({ wasSignedIn: false, revoked: null, forgotten: false });
    return ExitCode.OK;
  }
  // Read, revoke and delete under the store's lock: a refresh in another process cannot rotate the refresh
  // token between the read and the delete (the dead one revoked, the live one saved after the delete).
  return store.lock(config.profile, () => signOutLocked(config, store, options, deps, json));
}

async function signOutLocked(
  config: LoadedConfig,
  store: FileTokenStore,
  options: LogoutOptions,
  deps: RunDeps,
  json: (document: Record<string, unknown>) => void,
): Promise<CommandResult> {
  const { io } = deps;
  let token: Token | undefined;
  try {
    token = config.clientId === undefined ? undefined : await store.load(config.profile);
  } catch (error) {
    if (!isTokenStoreError(error) || error.code !== 'TOKEN_STORE_CORRUPT') throw error;
    // A corrupt token file: nothing can be revoked; it is moved aside (as a save does), never deleted.
    const path = store.pathFor(config.profile);
    const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(path, aside);
    io.stderr.write(
      `aps-auth: the token file ${path} was corrupt: nothing could be revoked; it was moved aside to ${aside} ` +
        `(profile "${config.profile}" is signed out locally).\n`,
    );
    json({ wasSignedIn: false, revoked: null, forgotten: true, movedAside: aside });
    return ExitCode.OK;
  }
  if (token === undefined) {
    // Gone meanwhile, or a token of another client id or server (left in place: it is not this one's to revoke).
    const why = await noTokenError(config.profile, config, store);
    const other = why.message.startsWith('The token stored');
    if (!options.json || other) {
      io.stderr.write(
        other
          ? `aps-auth: ${why.message.replace(/: it is not used\.$/, '')}: not signed out (nothing revoked, the file is left in place). Configure the client id and server it was made for to sign it out, or sign in again to replace it.\n`
          : `Not signed in (profile "${config.profile}"); nothing to do.\n`,
      );
    }
    json({ wasSignedIn: false, revoked: null, forgotten: false });
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
  json({ wasSignedIn: true, revoked: failures.length === 0, forgotten: true });
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
