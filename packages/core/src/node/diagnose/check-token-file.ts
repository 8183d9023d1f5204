import { isTokenStoreError } from '../../errors/guards.js';
import { FileTokenStore } from '../file-token-store.js';
import type { LoadedConfig } from '../load-config.js';
import type { DiagnosticCheck } from './types.js';

/** Whether the profile's token file can be read: a corrupt one fails, with how to clear it. */
export async function checkTokenFile(config: LoadedConfig): Promise<DiagnosticCheck> {
  const store = new FileTokenStore({ home: config.home });
  let path: string;
  try {
    path = store.pathFor(config.profile);
  } catch (error) {
    return {
      id: 'token-file',
      status: 'fail',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  try {
    const file = await store.loadFile(config.profile);
    if (file === undefined) {
      return {
        id: 'token-file',
        status: 'pass',
        message: `No token saved for profile "${config.profile}" yet ('aps-auth login' signs in).`,
      };
    }
    if (file.clientId !== undefined && config.clientId !== undefined && file.clientId !== config.clientId) {
      return {
        id: 'token-file',
        status: 'warn',
        message: `The token saved for profile "${config.profile}" is for client id ${file.clientId}, not ${config.clientId}: it is not used; 'aps-auth login' signs in with this one.`,
      };
    }
    return {
      id: 'token-file',
      status: 'pass',
      message: `A token is saved for profile "${config.profile}" (${path}).`,
    };
  } catch (error) {
    if (isTokenStoreError(error) && error.code === 'TOKEN_STORE_CORRUPT') {
      return {
        id: 'token-file',
        status: 'fail',
        message: `The token file ${path} is corrupt, so no command can use it. Clear it with 'aps-auth logout' (it moves the file aside, never deletes it), then sign in again with 'aps-auth login'.`,
      };
    }
    return {
      id: 'token-file',
      status: 'fail',
      message: `The token file ${path} cannot be read (${isTokenStoreError(error) ? error.code : 'error'}): check its permissions and owner.`,
    };
  }
}
