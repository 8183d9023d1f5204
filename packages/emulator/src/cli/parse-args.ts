import { parseArgs as parseNodeArgs } from 'node:util';
import { callbackUrlProblem, normalizeClient, RegistrationError } from '../app/clients.js';
import type { ClientRegistration, GrantType } from '../app/types.js';

export interface RunOptions {
  port: number;
  host: string;
  autoApprove: boolean;
  control: boolean;
  accessTokenLifetime?: number;
  clients: ClientRegistration[];
  /** Extra names the `Host` header may carry (given only when --allowed-host is). */
  allowedHosts?: string[];
}

export type ParsedArgs =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; options: RunOptions }
  | { kind: 'error'; message: string };

export const USAGE = `Usage: aps-auth-emulator [options]

A local Autodesk Platform Services (APS) authentication server for offline development and tests.

Options:
  --port PORT                     port to listen on (default 9400; 0 picks a free one)
  --host HOST                     address to listen on (default 127.0.0.1)
  --auto-approve                  skip the consent page and redirect at once (unless prompt=login
                                  or prompt=create)
  --client ID[:SECRET]=URL[,URL]  register a client (repeatable); no secret = public client
  --grants ID=GRANT[,GRANT]       grants of --client ID: authorization_code, refresh_token,
                                  client_credentials (default: all a client type may use)
  --post-logout-uri ID=URL[,URL]  post-logout redirect URIs of --client ID (repeatable)
  --name ID=NAME                  the app name the consent page shows for --client ID
  --access-token-lifetime SEC     access token lifetime in seconds (default 3600; expires_in = SEC - 1)
  --allowed-host NAME             a host name it may be reached by besides its address, e.g. a
                                  container's service name (repeatable); other names are refused
                                  (421), which stops DNS rebinding
  --no-control                    do not serve the control API under /__emulator/
  -h, --help                      show this help
  -v, --version                   show the version

Without --client it registers a demo client and prints it, ready to paste.
`;

class UsageError extends Error {}

/** `id[:secret]=url[,url2]`: a client id never contains ':'; the secret may. */
export function parseClientFlag(value: string): ClientRegistration {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new UsageError(`--client ${value}: expected ID[:SECRET]=CALLBACK_URL[,CALLBACK_URL]`);
  const who = value.slice(0, eq);
  const colon = who.indexOf(':');
  const clientId = colon < 0 ? who : who.slice(0, colon);
  const clientSecret = colon < 0 ? undefined : who.slice(colon + 1);
  if (clientId === '') throw new UsageError(`--client ${value}: the client id is empty`);
  if (clientSecret === '')
    throw new UsageError(`--client ${value}: the secret is empty (omit ':' for a public client)`);
  const redirectUris = value
    .slice(eq + 1)
    .split(',')
    .filter((u) => u !== '');
  if (redirectUris.length === 0)
    throw new UsageError(`--client ${value}: at least one callback URL is needed`);
  for (const uri of redirectUris) {
    const problem = callbackUrlProblem(uri);
    if (problem !== undefined) throw new UsageError(`--client ${value}: "${uri}" ${problem}`);
  }
  return clientSecret === undefined ? { clientId, redirectUris } : { clientId, clientSecret, redirectUris };
}

/** `ID=VALUE` of --grants, --post-logout-uri and --name: the id must be one given with --client. */
function splitForClient(flag: string, value: string, clients: ClientRegistration[]) {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) throw new UsageError(`${flag} ${value}: expected ID=VALUE`);
  const clientId = value.slice(0, eq);
  const client = clients.find((c) => c.clientId === clientId);
  if (!client) throw new UsageError(`${flag} ${value}: no --client has the id "${clientId}"`);
  return { client, rest: value.slice(eq + 1) };
}

const GRANT_NAMES: readonly string[] = ['authorization_code', 'refresh_token', 'client_credentials'];

function applyClientFlags(
  clients: ClientRegistration[],
  flags: { grants: string[]; postLogout: string[]; names: string[] },
): void {
  const granted = new Set<string>();
  for (const value of flags.grants) {
    const { client, rest } = splitForClient('--grants', value, clients);
    if (granted.has(client.clientId)) throw new UsageError(`--grants ${client.clientId} is given twice`);
    granted.add(client.clientId);
    const grants = rest.split(',').filter((g) => g !== '');
    const unknown = grants.find((g) => !GRANT_NAMES.includes(g));
    if (unknown !== undefined || grants.length === 0) {
      throw new UsageError(`--grants ${value}: grants are ${GRANT_NAMES.join(', ')}`);
    }
    client.grants = [...new Set(grants)] as GrantType[];
  }
  for (const value of flags.postLogout) {
    const { client, rest } = splitForClient('--post-logout-uri', value, clients);
    const uris = rest.split(',').filter((u) => u !== '');
    for (const uri of uris) {
      const problem = callbackUrlProblem(uri);
      if (problem !== undefined) throw new UsageError(`--post-logout-uri ${value}: "${uri}" ${problem}`);
    }
    client.postLogoutRedirectUris = [...(client.postLogoutRedirectUris ?? []), ...uris];
  }
  const named = new Set<string>();
  for (const value of flags.names) {
    const { client, rest } = splitForClient('--name', value, clients);
    if (named.has(client.clientId)) throw new UsageError(`--name ${client.clientId} is given twice`);
    named.add(client.clientId);
    client.name = rest;
  }
  // The emulator's own validation (e.g. client_credentials on a public client) is a usage error too.
  for (const client of clients) {
    try {
      normalizeClient(client);
    } catch (err) {
      if (err instanceof RegistrationError)
        throw new UsageError(`--client ${client.clientId}: ${err.message}`);
      throw err;
    }
  }
}

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

function parseInteger(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

/** Parses the bin's flags; pure (no I/O), so it is tested on its own. */
export function parseArgs(argv: string[]): ParsedArgs {
  try {
    const { values } = parseNodeArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'auto-approve': { type: 'boolean' },
        client: { type: 'string', multiple: true },
        grants: { type: 'string', multiple: true },
        'post-logout-uri': { type: 'string', multiple: true },
        name: { type: 'string', multiple: true },
        'access-token-lifetime': { type: 'string' },
        'no-control': { type: 'boolean' },
        'allowed-host': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
    if (values.help) return { kind: 'help' };
    if (values.version) return { kind: 'version' };
    if (values.host === '') throw new UsageError('--host must not be empty');
    const options: RunOptions = {
      port: values.port === undefined ? 9400 : parseInteger('--port', values.port, 0, 65535),
      host: values.host ?? '127.0.0.1',
      autoApprove: values['auto-approve'] ?? false,
      control: !values['no-control'],
      clients: (values.client ?? []).map(parseClientFlag),
    };
    const lifetime = values['access-token-lifetime'];
    if (lifetime !== undefined) {
      options.accessTokenLifetime = parseInteger('--access-token-lifetime', lifetime, 2, 315_360_000);
    }
    const allowedHosts = values['allowed-host'];
    if (allowedHosts !== undefined) {
      const bad = allowedHosts.find((h) => !HOST_NAME.test(h));
      if (bad !== undefined) {
        throw new UsageError(`--allowed-host ${bad}: expected a host name without port, e.g. emulator`);
      }
      options.allowedHosts = allowedHosts.map((h) => h.toLowerCase());
    }
    const ids = options.clients.map((c) => c.clientId);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup !== undefined) throw new UsageError(`--client ${dup} is given twice`);
    applyClientFlags(options.clients, {
      grants: values.grants ?? [],
      postLogout: values['post-logout-uri'] ?? [],
      names: values.name ?? [],
    });
    return { kind: 'run', options };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { kind: 'error', message };
  }
}
