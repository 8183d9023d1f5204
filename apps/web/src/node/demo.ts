export const DEMO_CLIENT_ID = 'aps-auth-web-demo';
export const DEMO_CLIENT_SECRET = 'aps-auth-web-demo-secret';
export const DEMO_BANNER =
  'Local APS emulator: no APS credentials are configured (set APS_CLIENT_ID to sign in to APS). The test user is not a real account.';

export interface DemoEmulator {
  url: string;
  close(): Promise<void>;
}

/**
 * The embedded emulator the bin runs against when no client id is configured: loaded only then (a dynamic
 * import), on 127.0.0.1, with a confidential demo client registered for the app's callback URL and home page.
 */
export async function startDemoEmulator(callbackUrl: string): Promise<DemoEmulator> {
  const { startEmulator } = await import('@aps-auth/emulator/node');
  return startEmulator({
    port: 0,
    host: '127.0.0.1',
    clients: [
      {
        clientId: DEMO_CLIENT_ID,
        clientSecret: DEMO_CLIENT_SECRET,
        redirectUris: [callbackUrl],
        postLogoutRedirectUris: [`${new URL(callbackUrl).origin}/`],
        name: 'aps-auth web (demo)',
      },
    ],
  });
}
