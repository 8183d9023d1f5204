import type { ClientRegistration } from '../app/types.js';

/** Registered when the bin starts without any --client: confidential, with the tutorials' callback URL. */
export const DEMO_CLIENT: ClientRegistration = {
  clientId: 'aps-auth-demo',
  clientSecret: 'aps-auth-demo-secret',
  redirectUris: ['http://localhost:8080/api/auth/callback'],
  name: 'aps-auth demo app',
};

/** The start-up text: the listening line first (tests and scripts wait for it), then the clients. */
export function formatBanner(
  url: string,
  clients: ClientRegistration[],
  demo: boolean,
  options: { autoApprove: boolean; control: boolean },
): string {
  const lines = [`aps-auth-emulator listening on ${url}`, ''];
  if (demo && clients[0]) {
    const c = clients[0];
    lines.push('No --client given: registered a demo client. Paste these lines into your .env:', '');
    lines.push(`APS_BASE_URL=${url}`, `APS_CLIENT_ID=${c.clientId}`);
    if (c.clientSecret !== undefined) lines.push(`APS_CLIENT_SECRET=${c.clientSecret}`);
    lines.push(`APS_CALLBACK_URL=${c.redirectUris[0] ?? ''}`, '');
  } else {
    lines.push(`APS_BASE_URL=${url}`, '');
    for (const c of clients) {
      const kind = c.clientSecret === undefined ? 'public' : 'confidential';
      lines.push(`client ${c.clientId} (${kind}): ${c.redirectUris.join(', ')}`);
    }
    lines.push('');
  }
  lines.push(`consent page: ${options.autoApprove ? 'auto-approve' : 'shown (Allow / Deny)'}`);
  lines.push(`control API: ${options.control ? `${url}/__emulator/` : 'off'}`);
  lines.push('Press Ctrl+C to stop.');
  return `${lines.join('\n')}\n`;
}
