import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';

export interface StartWebServerOptions {
  /** The app's fetch handler (`createWebApp(...).fetch`). */
  fetch: (request: Request) => Response | Promise<Response>;
  /** 0 picks a free port. Default 8080. */
  port?: number | undefined;
  /** The only address it listens on. Default 127.0.0.1 (put a TLS proxy in front to serve others). */
  host?: string | undefined;
}

export interface RunningWebServer {
  /** `http://host:port` (no trailing slash). */
  url: string;
  port: number;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** Serves the app over HTTP on Node. */
export async function startWebServer(options: StartWebServerOptions): Promise<RunningWebServer> {
  const { port = 8080, host = '127.0.0.1' } = options;
  const server = createAdaptorServer({ fetch: options.fetch, hostname: host }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
