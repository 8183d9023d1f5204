import { followAuthorizeRedirects } from './fetch-browser.js';

/**
 * Opens the authorize URL again (`o`): the system browser through the `open` package (loaded only then), or
 * with `APS_AUTH_BROWSER=fetch` the fetch "browser" of the tests.
 */
export async function openUrl(url: string, env: Record<string, string | undefined>): Promise<void> {
  if (env.APS_AUTH_BROWSER === 'fetch') return followAuthorizeRedirects(url);
  const { default: open } = await import('open');
  await open(url);
}
