import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './errors.js';

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** What parsing may depend on besides the arguments: whether the streams are terminals. */
export interface ParseContext {
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
}

/** How human output is laid out: aligned columns with headers on a terminal, tab-separated lines otherwise. */
export type OutputFormat = 'json' | 'table' | 'tsv';

export const profileOption = { profile: { type: 'string' } } as const satisfies OptionSpec;
export const jsonOption = { json: { type: 'boolean' } } as const satisfies OptionSpec;

/** `node:util` parseArgs in strict mode, its errors turned into usage errors (exit 2). */
export function parseFlags<const O extends OptionSpec>(
  command: string,
  argv: readonly string[],
  options: O,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/, '.'), command);
  }
}

export function outputFormat(json: boolean | undefined, context: ParseContext): OutputFormat {
  if (json === true) return 'json';
  return context.stdoutIsTTY ? 'table' : 'tsv';
}

/** Checks a non-empty string flag value. */
export function nonEmpty(command: string, flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new UsageError(`--${flag} needs a value.`, command);
  return value.trim();
}

export function parseTimeout(command: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--timeout must be a positive number of seconds, got "${value}".`, command);
  }
  return Math.round(seconds * 1000);
}
