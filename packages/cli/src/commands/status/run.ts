import { openCliProfile } from '../../context.js';
import { hintFor, loginCommand } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { CommandResult, RunDeps } from '../../io.js';
import { writeJson } from '../../output.js';
import { renderStatus, statusDocument } from '../../status-report.js';
import type { StatusOptions } from './parse.js';

export async function run(options: StatusOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  const now = deps.now ?? Date.now;
  const session = await openCliProfile(io, deps, { profile: options.profile });
  const status = await session.status({ userInfo: true, signal: deps.signal });
  const document = statusDocument(status);
  if (options.format === 'json') writeJson(io, { ...document });
  else io.stdout.write(renderStatus(document, options.format, now()));
  switch (status.state) {
    case 'valid':
    case 'expiring':
      return ExitCode.OK;
    case 'signed-out':
      io.stderr.write(`Not signed in. Run '${loginCommand(status.profile)}' to sign in.\n`);
      return ExitCode.SIGN_IN_REQUIRED;
    case 'corrupt':
      io.stderr.write(`aps-auth: ${status.problem?.message}\n`);
      return ExitCode.ERROR;
    default: {
      // A token of another client or server, or a refresh token the server rejected: named, with the next step.
      const hint = hintFor({ ...status.problem, profile: status.profile });
      io.stderr.write(`aps-auth: ${status.problem?.message}\n${hint}\n`);
      return ExitCode.SIGN_IN_REQUIRED;
    }
  }
}
