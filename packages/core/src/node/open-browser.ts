import { importOptionalPeer } from './optional-peer.js';

/**
 * Opens a URL in the default browser with the `open` package (an optional peer dependency), loaded only when
 * a login needs it; without it, a `ConfigurationError` with `field: 'open'` says how to install it.
 */
export async function openBrowser(url: string): Promise<void> {
  const { default: open } = await importOptionalPeer('open', () => import('open'));
  await open(url);
}
