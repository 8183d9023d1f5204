import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError } from '../errors/configuration-error.js';

export interface Dotenv {
  path: string;
  values: Record<string, string>;
}

/** `<cwd>/.env` parsed by Node's own parser, or `undefined` when there is none. */
export async function readDotenv(cwd: string): Promise<Dotenv | undefined> {
  const path = join(cwd, '.env');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw new ConfigurationError('dotenv', `Could not read ${path} (${code ?? 'unknown error'}).`);
  }
  // Synchronous: no dynamic `import('node:util')` on the token path when a .env exists.
  const { parseEnv } = process.getBuiltinModule('node:util');
  return { path, values: parseEnv(text) as Record<string, string> };
}
