import type { LoadedConfig, SignOutReport } from '@aps-auth/core/node';
import { openCliProfile } from '../../context.js';
import { ExitCode } from '../../exit-codes.js';
import type { CommandResult, RunDeps } from '../../io.js';
import { writeJson } from '../../output.js';
import type { LogoutOptions } from './parse.js';

export async function run(options: LogoutOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  const session = await openCliProfile(io, deps, { profile: options.profile });
  const { profile } = session.config;
  const json = (document: Record<string, unknown>) => {
    if (options.json) writeJson(io, { profile, ...document });
  };
  const report = await session.signOut({ signal: deps.signal });
  switch (report.outcome) {
    case 'nothing-to-do':
      if (!options.json) io.stderr.write(`Not signed in (profile "${profile}"); nothing to do.\n`);
      json({ wasSignedIn: false, revoked: null, forgotten: false });
      return ExitCode.OK;
    case 'left-in-place':
      io.stderr.write(
        `aps-auth: ${describeOtherClient(report, session.config)}: not signed out (nothing revoked, the file is left in place). Configure the client id and server it was made for to sign it out, or sign in again to replace it.\n`,
      );
      json({ wasSignedIn: false, revoked: null, forgotten: false });
      return ExitCode.OK;
    case 'moved-aside':
      io.stderr.write(
        `aps-auth: the token file ${report.tokenPath} was corrupt: nothing could be revoked; it was moved aside to ${report.movedAsideTo} ` +
          `(profile "${profile}" is signed out locally).\n`,
      );
      json({ wasSignedIn: false, revoked: null, forgotten: true, movedAside: report.movedAsideTo });
      return ExitCode.OK;
    default:
      break;
  }
  json({ wasSignedIn: true, revoked: report.revoked, forgotten: true });
  if (report.revocationFailures.length > 0) {
    io.stderr.write(
      `aps-auth: signed out locally (profile "${profile}"), but revocation at the server failed:\n${report.revocationFailures
        .map((failure) => `  ${failure.tokenTypeHint.replace('_', ' ')}: ${failure.message}\n`)
        .join('')}`,
    );
    return ExitCode.NETWORK;
  }
  if (!options.json) io.stderr.write(`Signed out (profile "${profile}"): tokens revoked and forgotten.\n`);
  return ExitCode.OK;
}

/** "The token stored for profile "p" is for another client id A (configured: B)". */
function describeOtherClient(report: SignOutReport, config: LoadedConfig): string {
  const stored = report.storedFor ?? { clientId: null, baseUrl: null };
  const differences: string[] = [];
  if (stored.clientId !== (config.clientId ?? null)) {
    differences.push(`client id ${stored.clientId} (configured: ${config.clientId})`);
  }
  if (stored.baseUrl !== config.baseUrl)
    differences.push(`server ${stored.baseUrl} (configured: ${config.baseUrl})`);
  return `The token stored for profile "${config.profile}" is for another ${differences.join(' and ')}`;
}
