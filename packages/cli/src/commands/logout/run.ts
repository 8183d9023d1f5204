import { rename } from 'node:fs/promises';
import { isTokenStoreError, type RevocationFailure, TokenManager } from '@aps-auth/core';
import { type FileTokenStore, type LoadedConfig, toCoreConfig } from '@aps-auth/core/node';
import { createStore, loadCliConfig } from '../../context.js';
import { noTokenError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { CommandResult, Io, RunDeps } from '../../io.js';
import { writeJson } from '../../output.js';
import type { LogoutOptions } from './parse.js';

type Report = (document: Record<string, unknown>) => void;

export async function run(options: LogoutOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  const config = await loadCliConfig(io, { profile: options.profile });
  const store = createStore(config, io);
  const json: Report = (document) => {
    if (options.json) writeJson(io, { profile: config.profile, ...document });
  };
  // Nothing there: no lock taken (a logout that has nothing to do never creates the home).
  const present = await store.loadFile(config.profile).then(
    (file) => file !== undefined,
    (error: unknown) => isTokenStoreError(error) && error.code === 'TOKEN_STORE_CORRUPT',
  );
  if (!present || config.clientId === undefined) return notSignedIn(config, store, options, io, json);

  // Core's sign-out: after a refresh in flight and under the store's lock (a refresh in another process
  // cannot rotate the refresh token between the read and the delete), the refresh token revoked first.
  const failures: string[] = [];
  const manager = new TokenManager({ config: toCoreConfig(config), store, key: config.profile });
  let wasSignedIn: boolean;
  try {
    ({ wasSignedIn } = await manager.signOut({
      signal: deps.signal,
      onRevocationFailure: (failure) => failures.push(describeFailure(failure)),
    }));
  } catch (error) {
    if (isTokenStoreError(error) && error.code === 'TOKEN_STORE_CORRUPT') {
      return moveCorruptAside(config, store, io, json);
    }
    if (failures.length === 0) throw error;
    wasSignedIn = true;
  }
  if (!wasSignedIn) return notSignedIn(config, store, options, io, json);
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

function describeFailure({ tokenTypeHint, error }: RevocationFailure): string {
  return `${tokenTypeHint.replace('_', ' ')}: ${error instanceof Error ? error.message : String(error)}`;
}

/** Nothing of this profile's app is stored: none at all, or a token of another client id or server. */
async function notSignedIn(
  config: LoadedConfig,
  store: FileTokenStore,
  options: LogoutOptions,
  io: Io,
  json: Report,
): Promise<CommandResult> {
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

/** A corrupt token file: nothing can be revoked; it is moved aside (as a save does), never deleted. */
async function moveCorruptAside(
  config: LoadedConfig,
  store: FileTokenStore,
  io: Io,
  json: Report,
): Promise<CommandResult> {
  const path = store.pathFor(config.profile);
  const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await store.lock(config.profile, () => rename(path, aside));
  io.stderr.write(
    `aps-auth: the token file ${path} was corrupt: nothing could be revoked; it was moved aside to ${aside} ` +
      `(profile "${config.profile}" is signed out locally).\n`,
  );
  json({ wasSignedIn: false, revoked: null, forgotten: true, movedAside: aside });
  return ExitCode.OK;
}
