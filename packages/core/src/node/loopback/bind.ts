import type { Server } from 'node:net';
import { CallbackServerError } from '../../errors/callback-server-error.js';
import type { LoopbackTarget } from './loopback-url.js';

/**
 * Binds one server per loopback address of the target (exclusive, never every interface), the one bind loop
 * of the listener and of `doctor`'s port check. A missing IPv6 loopback is skipped when IPv4 is bound.
 * Throws `CallbackServerError` (`CALLBACK_PORT_UNAVAILABLE`) after closing what it had bound.
 */
export async function bindLoopback<S extends Server>(target: LoopbackTarget, create: () => S): Promise<S[]> {
  const servers: S[] = [];
  for (const [index, address] of target.addresses.entries()) {
    const server = create();
    try {
      await listen(server, address, target.port);
      servers.push(server);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // localhost means both; a machine without IPv6 loopback still has a working 127.0.0.1.
      if (index > 0 && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
      await closeServers(servers);
      throw listenError(code, target.url.hostname, target.port);
    }
  }
  return servers;
}

/** Closes servers (dropping their connections when they are HTTP servers). */
export async function closeServers(servers: readonly Server[]): Promise<void> {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          if (!server.listening) return resolve();
          server.close(() => resolve());
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        }),
    ),
  );
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function listenError(code: string | undefined, host: string, port: number): CallbackServerError {
  const fields = { port, host };
  const safeCause = new Error(`listen ${code ?? 'failed'}`);
  if (code === 'EADDRINUSE') {
    return new CallbackServerError(
      'CALLBACK_PORT_UNAVAILABLE',
      `Port ${port} on ${host} is already in use, so the sign-in callback cannot be received there. ` +
        `Stop the program using it (e.g. 'lsof -i :${port}'), or register another callback URL for the app ` +
        'and set APS_CALLBACK_URL to it.',
      fields,
      { cause: safeCause },
    );
  }
  if (code === 'EACCES') {
    return new CallbackServerError(
      'CALLBACK_PORT_UNAVAILABLE',
      `Not allowed to listen on port ${port} on ${host}. Register a callback URL with another port (e.g. ` +
        'http://localhost:8080/api/auth/callback) and set APS_CALLBACK_URL to it.',
      fields,
      { cause: safeCause },
    );
  }
  return new CallbackServerError(
    'CALLBACK_PORT_UNAVAILABLE',
    `Could not listen on port ${port} on ${host} for the sign-in callback (${code ?? 'unknown error'}).`,
    fields,
    { cause: safeCause },
  );
}
