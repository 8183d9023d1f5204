import { isIPv4, isIPv6 } from 'node:net';
import type { ClientRegistration } from '../app/types.js';
import { DEMO_CLIENT_ID } from '../node/demo.js';

/** Registered when the bin starts without any --client: confidential, with the tutorials' callback URL. */
export const DEMO_CLIENT: ClientRegistration = {
  clientId: DEMO_CLIENT_ID,
  clientSecret: 'aps-auth-demo-secret',
  redirectUris: ['http://localhost:8080/api/auth/callback'],
  name: 'aps-auth demo app',
};

/** Whether a --host value only listens on this machine: `localhost`, 127.0.0.0/8, ::1 or ::ffff:127.x.x.x. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (!isIPv6(h)) return false;
  const normal = new URL(`http://[${h}]/`).hostname;
  return normal === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(normal);
}

/** The start-up text: the listening line first (tests and scripts wait for it), then the clients. */
export function formatBanner(
  url: string,
  clients: ClientRegistration[],
  demo: boolean,
  options: { autoApprove: boolean; control: boolean; host?: string },
): string {
  const lines = [`aps-auth-emulator listening on ${url}`];
  if (options.control && options.host !== undefined && !isLoopbackHost(options.host)) {
    lines.push(
      `WARNING: listening on ${options.host}, not a loopback address, with the control API on: anyone who can reach it can register clients, read the request log, move the clock and reset the emulator. Add --no-control, or listen on 127.0.0.1.`,
    );
  }
  lines.push('');
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
      let line = `client ${c.clientId} (${kind}): ${c.redirectUris.join(', ')}`;
      if (c.grants) line += `; grants: ${c.grants.join(', ')}`;
      if (c.postLogoutRedirectUris?.length) line += `; post-logout: ${c.postLogoutRedirectUris.join(', ')}`;
      lines.push(line);
    }
    lines.push('');
  }
  lines.push(`consent page: ${options.autoApprove ? 'auto-approve' : 'shown (Allow / Deny)'}`);
  lines.push(`control API: ${options.control ? `${url}/__emulator/` : 'off'}`);
  lines.push('Press Ctrl+C to stop.');
  return `${lines.join('\n')}\n`;
}
