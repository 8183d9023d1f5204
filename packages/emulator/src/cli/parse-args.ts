import { parseArgs as parseNodeArgs } from 'node:util';
import { callbackUrlProblem } from '../app/clients.js';
import type { ClientRegistration } from '../app/types.js';

export interface RunOptions {
  port: number;
  host: string;
  autoApprove: boolean;
  control: boolean;
  accessTokenLifetime?: number;
  clients: ClientRegistration[];
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
  --auto-approve                  skip the consent page and redirect at once (unless prompt=login)
  --client ID[:SECRET]=URL[,URL]  register a client (repeatable); no secret = public client
  --access-token-lifetime SEC     access token lifetime in seconds (default 3600; expires_in = SEC - 1)
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
        'access-token-lifetime': { type: 'string' },
        'no-control': { type: 'boolean' },
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
    const ids = options.clients.map((c) => c.clientId);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup !== undefined) throw new UsageError(`--client ${dup} is given twice`);
    return { kind: 'run', options };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { kind: 'error', message };
  }
}
