import { followSignInLink } from '@aps-auth/core/node';

/**
 * Opens the authorize URL again (`o`): the system browser through the `open` package (loaded only then), or
 * with `APS_AUTH_BROWSER=fetch` core's fetch "browser" for
 * emulators and tests (`followSignInLink`).
 */
export async function openUrl(url: string, env: Record<string, string | undefined>): Promise<void> {
  if (env.APS_AUTH_BROWSER === 'fetch') return followSignInLink(url);
  const { default: open } = await import('open');
  await open(url);
}
