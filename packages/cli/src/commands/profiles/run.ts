import { listProfiles } from '@aps-auth/core/node';
import { openCliProfile } from '../../context.js';
import type { CommandResult, RunDeps } from '../../io.js';
import { formatRows, isoTime, writeJson } from '../../output.js';
import type { ProfilesOptions } from './parse.js';

export async function run(options: ProfilesOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  // A corrupt profile file must not hide the others: it is listed, flagged `corrupt`.
  const { config } = await openCliProfile(io, deps, {}, { corruptProfile: 'report' });
  const profiles = (await listProfiles(config.home)).map((p) => ({
    name: p.name,
    current: p.name === config.profile,
    clientId: p.clientId ?? null,
    baseUrl: p.baseUrl ?? null,
    signedIn: p.signedIn,
    corrupt: p.corrupt === true,
    expiresAt: p.expiresAt === undefined ? null : isoTime(p.expiresAt),
  }));
  if (options.format === 'json') {
    writeJson(io, { home: config.home, current: config.profile, profiles });
    return 0;
  }
  if (profiles.length === 0) {
    io.stderr.write(`No saved profiles in ${config.home}. Run 'aps-auth login' to create one.\n`);
    return 0;
  }
  const rows = profiles.map((p) => [
    options.format === 'table' ? `${p.current ? '*' : ' '} ${p.name}` : p.name,
    p.clientId ?? '',
    p.baseUrl ?? '',
    p.corrupt ? 'corrupt' : p.signedIn ? 'yes' : 'no',
    p.expiresAt ?? '',
    ...(options.format === 'tsv' ? [p.current ? 'current' : ''] : []),
  ]);
  io.stdout.write(
    formatRows(options.format, ['  PROFILE', 'CLIENT ID', 'SERVER', 'SIGNED IN', 'EXPIRES'], rows),
  );
  return 0;
}
