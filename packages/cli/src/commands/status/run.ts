import { createStore, loadCliConfig } from '../../context.js';
import { noTokenError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { CommandResult, RunDeps } from '../../io.js';
import { writeJson } from '../../output.js';
import { collectStatus, renderStatus } from '../../status-report.js';
import type { StatusOptions } from './parse.js';

export async function run(options: StatusOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  const now = deps.now ?? Date.now;
  const config = await loadCliConfig(io, { profile: options.profile });
  const store = createStore(config, io);
  const status = await collectStatus(config, store, {
    now,
    userInfo: true,
    signal: deps.signal,
    onWarning: (message) => io.stderr.write(`aps-auth: ${message}\n`),
  });
  if (options.format === 'json') writeJson(io, { ...status });
  else io.stdout.write(renderStatus(status, options.format, now()));
  if (!status.signedIn) {
    // A token of another client id or server is named (as token, exec and refresh do).
    const why = await noTokenError(config.profile, config, store);
    if (why.message.startsWith('The token stored')) {
      io.stderr.write(`aps-auth: ${why.message}\n${why.hint}\n`);
      return ExitCode.SIGN_IN_REQUIRED;
    }
    io.stderr.write(
      `Not signed in. Run 'aps-auth login${status.profile === 'default' ? '' : ` --profile ${status.profile}`}' to sign in.\n`,
    );
    return ExitCode.SIGN_IN_REQUIRED;
  }
  return ExitCode.OK;
}
