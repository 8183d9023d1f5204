/**
 * DNS rebinding: a page on `http://evil.example:9400` whose name an attacker re-points at 127.0.0.1 reaches the
 * emulator as a same-origin page, and its requests carry `Host: evil.example:9400`. So the emulator answers only
 * a `Host` that names it: its own origin (or another loopback name for a loopback origin), and when its origin is
 * not known (listening on every address) only an IP address, `localhost` or a name the user allowed. A name an
 * attacker controls is none of these.
 */

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export interface HostPolicy {
  /** The own base URL when known (the bound URL on the Node server, or the `baseUrl` option). */
  base: string | undefined;
  /** Extra host names (no port) accepted in `Host`; `undefined` with an unknown base means "no check". */
  allowedHosts: readonly string[] | undefined;
}

const HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/;

/** `host[:port]` as the URL parser normalises the name; undefined for anything else. */
function parseHost(header: string): { hostname: string; port: string } | undefined {
  const m = HOST.exec(header);
  if (!m?.[1]) return undefined;
  try {
    return { hostname: new URL(`http://${m[1]}/`).hostname, port: m[2] ?? '' };
  } catch {
    return undefined;
  }
}

function isLoopback(hostname: string): boolean {
  return LOOPBACK_NAMES.includes(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** An IP literal, as the URL parser leaves it (it turns every numeric IPv4 spelling into a dotted quad). */
function isIpLiteral(hostname: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(hostname) || hostname.startsWith('[');
}

function portOf(url: URL): string {
  return url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
}

/** Whether a request's `Host` header names this emulator under the policy; no `Host` header (in process) passes. */
export function isOwnHost(hostHeader: string | undefined, policy: HostPolicy): boolean {
  if (hostHeader === undefined) return true;
  const host = parseHost(hostHeader);
  if (!host) return false;
  const allowed = policy.allowedHosts ?? [];
  if (allowed.some((name) => name.toLowerCase() === host.hostname)) return true;
  if (policy.base === undefined) {
    return policy.allowedHosts === undefined || isIpLiteral(host.hostname) || host.hostname === 'localhost';
  }
  const base = new URL(policy.base);
  const port = host.port !== '' ? host.port : base.protocol === 'https:' ? '443' : '80';
  if (Number(port) !== Number(portOf(base))) return false;
  if (host.hostname === base.hostname) return true;
  return isLoopback(base.hostname) && isLoopback(host.hostname);
}

export function misdirectedBody(hostHeader: string, base: string | undefined) {
  const own = base === undefined ? 'an IP address, localhost or an allowed host name' : base;
  return {
    error: 'invalid_request',
    error_description: `The Host header "${hostHeader}" does not name this emulator (${own}): send requests to its own URL`,
  };
}
