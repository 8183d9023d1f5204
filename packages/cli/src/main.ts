import { commands, mainUsage } from './commands.js';
import { CliError, hintFor, UsageError } from './errors.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import type { CommandResult, Io, RunDeps } from './io.js';
import { VERSION } from './version.js';

function isHelp(arg: string): boolean {
  return arg === '-h' || arg === '--help';
}

/** The message for stderr: CLI errors carry their hint; core errors get the next step by their `code`. */
export function describeError(error: unknown): string {
  if (error instanceof CliError)
    return error.hint === undefined ? error.message : `${error.message}\n${error.hint}`;
  if (typeof error === 'object' && error !== null && 'code' in error && error instanceof Error) {
    const hint = hintFor(error as { code?: unknown });
    return hint === undefined ? error.message : `${error.message}\n${hint}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Parses the command line, loads the one command it names, runs it and maps any error to an exit code. Never
 * exits the process (bin.ts does), so tests run it in process with an injected io.
 */
export async function main(argv: readonly string[], deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  const [verb, ...rest] = argv;
  try {
    if (verb === undefined) {
      io.stderr.write(mainUsage());
      return ExitCode.USAGE;
    }
    if (isHelp(verb) || (verb === 'help' && rest.length === 0)) {
      io.stdout.write(mainUsage());
      return ExitCode.OK;
    }
    if (verb === 'help') {
      // `aps-auth help login`: the command's own help, as `aps-auth login --help`.
      const [topic, ...extra] = rest as [string, ...string[]];
      const entry = Object.hasOwn(commands, topic) ? commands[topic] : undefined;
      if (entry === undefined || extra.length > 0) {
        throw new UsageError(
          entry === undefined
            ? `unknown command "${topic}" (help takes one of: ${Object.keys(commands).join(', ')})`
            : `help takes one command, got "${rest.join(' ')}"`,
        );
      }
      io.stdout.write((await entry.load()).usage);
      return ExitCode.OK;
    }
    if (verb === '-v' || verb === '--version') {
      io.stdout.write(`${VERSION}\n`);
      return ExitCode.OK;
    }
    const entry = Object.hasOwn(commands, verb) ? commands[verb] : undefined;
    if (entry === undefined) {
      throw new UsageError(verb.startsWith('-') ? `unknown option "${verb}"` : `unknown command "${verb}"`);
    }
    const command = await entry.load();
    const beforeDashes = rest.indexOf('--') >= 0 ? rest.slice(0, rest.indexOf('--')) : rest;
    // `exec CMD --help` is CMD's help: only flags before the command count.
    const ownArgs = verb === 'exec' ? beforeDashes.slice(0, firstPositional(beforeDashes)) : beforeDashes;
    if (ownArgs.some(isHelp)) {
      io.stdout.write(command.usage);
      return ExitCode.OK;
    }
    const options = command.parse(rest, io);
    return await command.run(options, deps);
  } catch (error) {
    reportError(io, error);
    return exitCodeFor(error);
  }
}

function firstPositional(args: readonly string[]): number {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) return i;
    if (arg === '--profile' || arg === '--scopes') i++;
  }
  return args.length;
}

export function reportError(io: Io, error: unknown): void {
  const lines = describeError(error).split('\n');
  io.stderr.write(
    `aps-auth: ${lines[0]}\n${lines
      .slice(1)
      .map((line) => `${line}\n`)
      .join('')}`,
  );
}
