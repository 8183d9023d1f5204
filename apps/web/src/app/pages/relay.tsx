import { Layout } from './layout.js';

/** After `/relay` stored the encrypted answer for the terminal. */
export function ReturnToTerminalPage({ banner, denied }: { banner: string | undefined; denied: boolean }) {
  return (
    <Layout title="Return to your terminal" banner={banner}>
      <h1>Return to your terminal</h1>
      <p id="message">
        {denied
          ? 'You did not allow access. Your terminal has been told; you can close this page.'
          : 'The sign-in was handed to your terminal, encrypted for it alone. You can close this page.'}
      </p>
    </Layout>
  );
}

/** Without a pairing: the address to paste into `aps-auth login --manual`. */
export function CopyPage({ banner, url }: { banner: string | undefined; url: string }) {
  return (
    <Layout title="Copy this address" banner={banner}>
      <h1>Copy this address into your terminal</h1>
      <p>
        Your terminal (<code>aps-auth login --manual</code>) is waiting for the address of this page. Copy all
        of it, paste it there and press Enter. Do not share it: it signs in once, within a few minutes.
      </p>
      <label for="callback-url">Address of this page</label>
      <textarea id="callback-url" readonly rows={6} cols={60}>
        {url}
      </textarea>
    </Layout>
  );
}
