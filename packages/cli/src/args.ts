import { PROFILE_NAME_PATTERN } from '@aps-auth/core/node';
import { UsageError } from './errors.js';

/** A flag: `--name VALUE` / `--name=VALUE` (string) or `--name` (boolean). */
type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

type Values<O extends OptionSpec> = {
  [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean;
};

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

/**
 * A strict parser with the semantics of `node:util` parseArgs (long flags only, `--name value` or
 * `--name=value`, `--` ends the flags; an unknown flag, a missing value, a value given to a boolean, a flag
 * given twice or an unexpected argument is a usage error, exit 2). Written here so that `aps-auth token`
 * does not load `node:util` at start-up (about 1 ms, measured with Node 24; `pnpm bench:cli`).
 */
export function parseFlags<const O extends OptionSpec>(
  command: string,
  argv: readonly string[],
  options: O,
  allowPositionals = false,
): { values: Values<O>; positionals: string[] } {
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unknown option "${arg}".`, command);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = Object.hasOwn(options, name) ? options[name] : undefined;
    if (spec === undefined) throw new UsageError(`unknown option "--${name}".`, command);
    if (Object.hasOwn(values, name)) throw new UsageError(`--${name} was given twice.`, command);
    if (spec.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value.`, command);
      values[name] = true;
    } else if (eq >= 0) {
      values[name] = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`--${name} needs a value.`, command);
      }
      values[name] = next;
      i++;
    }
  }
  if (!allowPositionals && positionals.length > 0) {
    throw new UsageError(`unexpected argument "${positionals[0]}".`, command);
  }
  return { values: values as Values<O>, positionals };
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

/** The longest timer Node keeps (2^31 - 1 ms, about 24.8 days), in whole seconds. */
export const MAX_TIMEOUT_SECONDS = 2_147_483;

/** `--timeout SEC`: at least 1 second, at most `MAX_TIMEOUT_SECONDS` (a longer timer fires at once in Node). */
export function parseTimeout(command: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(seconds)) {
    throw new UsageError(`--timeout must be a number of seconds, got "${value}".`, command);
  }
  if (seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(
      `--timeout must be from 1 to ${MAX_TIMEOUT_SECONDS} seconds, got "${value}".`,
      command,
    );
  }
  return Math.round(seconds * 1000);
}

/** `--profile P`: a profile name (letters, digits, `.`, `_`, `-`; no path tricks), else a usage error. */
export function parseProfile(command: string, value: string | undefined): string | undefined {
  const name = nonEmpty(command, 'profile', value);
  if (name !== undefined && !PROFILE_NAME_PATTERN.test(name)) {
    throw new UsageError(
      `--profile must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit, got ${JSON.stringify(name.slice(0, 80))}.`,
      command,
    );
  }
  return name;
}

/** `--callback-url U`: an absolute http(s) URL without a fragment, else a usage error. */
export function parseCallbackUrl(command: string, value: string | undefined): string | undefined {
  const text = nonEmpty(command, 'callback-url', value);
  if (text === undefined) return undefined;
  const shown = JSON.stringify(text.slice(0, 200));
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `--callback-url must be an absolute URL such as http://localhost:8080/api/auth/callback, got ${shown}.`,
      command,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--callback-url must be an http(s) URL, got ${shown}.`, command);
  }
  if (text.includes('#')) {
    throw new UsageError(`--callback-url must not contain a fragment (#), got ${shown}.`, command);
  }
  return text;
}
