import { ConfigurationError, type InputProblem } from '../errors/configuration-error.js';

/**
 * How the user knows an input, for messages: its name (`APS_CALLBACK_URL`, `--callback-url`, `redirectUri`)
 * and, when it came from a variable, where (`the environment`, the path of a `.env`).
 */
export interface InputLabel {
  name: string;
  source?: string | undefined;
}

/** A validator's answer: the normalised value, or the error it would throw (core's message, a stable `problem`). */
export type InputCheck<T> = { ok: true; value: T } | { ok: false; error: ConfigurationError };

/**
 * `APS_CALLBACK_URL "http://x/#a" (from /repo/.env)`. The value is shown only for an input with a `source` (a
 * variable or file the user can look at) and when it parsed as a URL; a library argument's value never is (a
 * program may have put a secret in it).
 */
export function describeInput(label: InputLabel, shown?: string): string {
  const value =
    shown === undefined || label.source === undefined ? '' : ` ${JSON.stringify(shown.slice(0, 200))}`;
  const from = label.source === undefined ? '' : ` (from ${label.source})`;
  return `${label.name}${value}${from}`;
}

export function refuse<T>(
  field: string,
  label: InputLabel,
  problem: InputProblem,
  message: string,
): InputCheck<T> {
  return { ok: false, error: new ConfigurationError(field, message, { problem, input: label.name }) };
}

/** The value of a check, or its error thrown. */
export function unwrap<T>(check: InputCheck<T>): T {
  if (!check.ok) throw check.error;
  return check.value;
}
