/** Opens a URL in the default browser with the `open` package, loaded only when a login needs it. */
export async function openBrowser(url: string): Promise<void> {
  const { default: open } = await import('open');
  await open(url);
}
