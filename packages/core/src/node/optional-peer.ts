import { ConfigurationError } from '../errors/configuration-error.js';

/** The optional peer dependencies of `@aps-auth/core` (its `./node` entry loads them only when needed). */
const PEERS = {
  open: { range: '^11.0.0', neededFor: 'Opening the browser for a sign-in' },
  'proper-lockfile': { range: '^4.1.2', neededFor: "The file token store's cross-process lock" },
} as const;

/**
 * Loads an optional peer dependency, or fails with a `ConfigurationError` (`code: 'CONFIGURATION_ERROR'`,
 * `field`: the package's name) that says what needs it and how to install it. A browser or edge user of
 * `@aps-auth/core` never installs these: only `./node` uses them, and only when that feature runs.
 */
export async function importOptionalPeer<T>(name: keyof typeof PEERS, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    const { range, neededFor } = PEERS[name];
    throw new ConfigurationError(
      name,
      `${neededFor} needs the package "${name}", an optional peer dependency of @aps-auth/core that is not ` +
        `installed: install it next to @aps-auth/core (npm install ${name}@${range}).`,
    );
  }
}
