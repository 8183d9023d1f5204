import { type AddressInfo, isIPv4, isIPv6 } from 'node:net';
import { createAdaptorServer, type HttpBindings } from '@hono/node-server';
import { createEmulator } from '../app/create-emulator.js';
import type { EmulatorControl, EmulatorOptions } from '../app/types.js';

export interface StartEmulatorOptions extends Omit<EmulatorOptions, 'dropConnection'> {
  /** 0 picks a free port. Default 9400. */
  port?: number;
  /** The only address it listens on. Default 127.0.0.1. */
  host?: string;
}

export interface RunningEmulator {
  /** The base URL (APS_BASE_URL), without a trailing slash. */
  url: string;
  port: number;
  host: string;
  control: EmulatorControl;
  /** Stops listening and closes every connection, keep-alive ones included. */
  close(): Promise<void>;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** `0.0.0.0`, `::` and their spellings: every address of the machine, so no single URL is "the" base URL. */
export function isWildcardHost(host: string): boolean {
  if (isIPv4(host)) return host.split('.').every((part) => Number(part) === 0);
  if (isIPv6(host)) return new URL(`http://[${host}]/`).hostname === '[::]';
  return false;
}

/** Starts the emulator on a real HTTP server (Node). */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const { port = 9400, host = '127.0.0.1', ...rest } = options;
  // Known once listening. It is the default issuer and the control API's own origin, so a request's Host
  // header cannot change `iss` (unless the server listens on every address: then the request's origin).
  let boundUrl: string | undefined;
  const emulator = await createEmulator({
    ...rest,
    baseUrl: rest.baseUrl ?? (() => boundUrl),
    // On every address there is no single own URL: the Host check then accepts IP addresses, localhost and the
    // allowed names, never a name that DNS rebinding could point here.
    allowedHosts: rest.allowedHosts ?? (isWildcardHost(host) ? [] : undefined),
    dropConnection: (env) => {
      (env as HttpBindings).incoming.socket.destroy();
    },
  });
  // Embedded in other packages' test processes: leave the global Request and Response alone.
  const server = createAdaptorServer({
    fetch: emulator.app.fetch,
    hostname: host,
    overrideGlobalObjects: false,
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const httpServer = server as import('node:http').Server;
  const url = `http://${hostForUrl(host)}:${address.port}`;
  if (!isWildcardHost(host)) boundUrl = url;
  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    host,
    control: emulator.control,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        httpServer.close((err) => (err ? reject(err) : resolve()));
        httpServer.closeAllConnections();
      });
      return closing;
    },
  };
}
