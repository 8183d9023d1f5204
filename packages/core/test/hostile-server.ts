import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export interface HostileServer {
  /** `http://127.0.0.1:<port>`: use it as the `baseUrl`. */
  url: string;
  /** Each request's method, path and body, in arrival order. */
  requests: { method: string; path: string; body: string }[];
  close(): Promise<void>;
}

const open: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

/**
 * A tiny HTTP server on 127.0.0.1 playing an attacker (or a broken server): `handle` answers each request,
 * with its body already read. Closed after the test.
 */
export async function startHostileServer(
  handle: (request: IncomingMessage & { body: string }, response: ServerResponse) => void,
): Promise<HostileServer> {
  const requests: HostileServer['requests'] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      requests.push({ method: request.method ?? '', path: request.url ?? '', body });
      handle(Object.assign(request, { body }), response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const hostile: HostileServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  open.push(hostile);
  return hostile;
}
