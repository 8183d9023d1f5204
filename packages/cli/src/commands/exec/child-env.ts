/**
 * The environment `exec` gives its command: the CLI's own, plus `APS_ACCESS_TOKEN`, less every
 * `APS_CLIENT_*` variable but `APS_CLIENT_ID` (`APS_CLIENT_SECRET` and any other client credential): the
 * command needs the token, never the secret that mints tokens.
 */
export function createChildEnv(
  env: Readonly<Record<string, string | undefined>>,
  accessToken: string,
): Record<string, string> {
  const child: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (name.toUpperCase().startsWith('APS_CLIENT_') && name.toUpperCase() !== 'APS_CLIENT_ID') continue;
    child[name] = value;
  }
  child.APS_ACCESS_TOKEN = accessToken;
  return child;
}
