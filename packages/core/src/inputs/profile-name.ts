import { describeInput, type InputCheck, type InputLabel, refuse, unwrap } from './input-label.js';

/** Profile names: a letter or digit, then up to 63 letters, digits, `.`, `_` or `-` (no path tricks). */
export const PROFILE_NAME_PATTERN: RegExp = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const DEFAULT_LABEL: InputLabel = { name: 'profile' };

/** A profile name (also a file name under the home), or why not (`field: 'profile'`). */
export function validateProfileName(value: unknown, label: InputLabel = DEFAULT_LABEL): InputCheck<string> {
  if (typeof value === 'string' && PROFILE_NAME_PATTERN.test(value)) return { ok: true, value };
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value;
  const prefix = label === DEFAULT_LABEL ? '' : `${describeInput(label)}: `;
  return refuse(
    'profile',
    label,
    'invalid-profile-name',
    `${prefix}Invalid profile name ${shown}: use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit.`,
  );
}

/** Returns the name, or throws `ConfigurationError` (`field: 'profile'`, `problem: 'invalid-profile-name'`). */
export function checkProfileName(name: unknown): string {
  return unwrap(validateProfileName(name));
}
