import { ConfigurationError } from '../errors/configuration-error.js';

/** Profile names: a letter or digit, then up to 63 letters, digits, `.`, `_` or `-` (no path tricks). */
export const PROFILE_NAME_PATTERN: RegExp = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Returns the name, or throws `ConfigurationError` (`field: 'profile'`). */
export function checkProfileName(name: unknown): string {
  if (typeof name !== 'string' || !PROFILE_NAME_PATTERN.test(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 80)) : typeof name;
    throw new ConfigurationError(
      'profile',
      `Invalid profile name ${shown}: use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit.`,
    );
  }
  return name;
}
