import { spawn } from 'node:child_process';
import type { Token } from '@aps-auth/core';
import { openCliProfile } from '../../context.js';
import { CliError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { CommandResult, RunDeps } from '../../io.js';
import { createChildEnv } from './child-env.js';
import type { ExecOptions } from './parse.js';

export async function run(options: ExecOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  const session = await openCliProfile(io, deps, { profile: options.profile });
  let token: Token;
  try {
    token = await session.getToken({
      scopes: options.scopes,
      signal: deps.signal,
      onCancelWait: () =>
        io.stderr.write(
          'aps-auth: cancelled; letting the refresh in flight finish so that its new refresh token is saved (send the signal again to quit now).\n',
        ),
    });
  } catch (error) {
    if (deps.signal.aborted) throw cancelledBeforeStart(options.command);
    throw error;
  }
  // A signal that came while the token was read or refreshed: CMD is not started.
  if (deps.signal.aborted) throw cancelledBeforeStart(options.command);
  const accessToken = token.accessToken;

  return new Promise<CommandResult>((resolve, reject) => {
    const child = spawn(options.command, options.args, {
      stdio: 'inherit',
      cwd: io.cwd,
      env: createChildEnv(io.env, accessToken),
    });
    // On a terminal, Ctrl+C (and Ctrl+\) already reached CMD (the whole foreground process group gets it):
    // forwarding it too would deliver it twice, which many programs take as "force quit". Everything else
    // (SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, and SIGINT/SIGQUIT from kill) is forwarded.
    const interactive = io.stdinIsTTY;
    const stopForwarding = deps.onSignal((signal) => {
      if ((signal === 'SIGINT' || signal === 'SIGQUIT') && interactive) return;
      child.kill(signal);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      stopForwarding();
      if (error.code === 'ENOENT') {
        reject(new CliError(`command not found: ${options.command}`, ExitCode.EXEC_NOT_FOUND));
      } else if (error.code === 'EACCES') {
        reject(new CliError(`cannot run ${options.command}: permission denied`, ExitCode.EXEC_FAILED));
      } else {
        reject(new CliError(`cannot run ${options.command}: ${error.message}`, ExitCode.EXEC_FAILED));
      }
    });
    child.once('exit', (code, signal) => {
      stopForwarding();
      resolve(signal === null ? (code ?? ExitCode.ERROR) : { signal });
    });
  });
}

function cancelledBeforeStart(command: string): CliError {
  return new CliError(`cancelled before ${command} started.`, ExitCode.CANCELLED);
}
