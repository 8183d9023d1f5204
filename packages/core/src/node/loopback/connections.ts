import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** Open connections at most, over every address; past it the oldest idle one is dropped. Default 64. */
  readonly maxConnections?: number | undefined;
  /** A connection that sends nothing (or no whole request) for this long is dropped. Default 5000 ms. */
  readonly idleTimeoutMs?: number | undefined;
}

export const DEFAULT_MAX_CONNECTIONS = 64;
export const DEFAULT_IDLE_TIMEOUT_MS = 5_000;

/** The HTTP server's own timeouts for the same limits (it drops requests whose headers never finish). */
export function serverTimeouts(limits: ConnectionLimits = {}) {
  const idle = limits.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  return {
    headersTimeout: idle,
    requestTimeout: idle * 2,
    keepAliveTimeout: Math.min(idle, 1_000),
    connectionsCheckingInterval: Math.max(10, Math.min(idle, 1_000)),
    maxHeaderSize: 16_384,
  };
}

/**
 * Caps the listener's connections and their idle time, so that a local process holding connections open
 * cannot keep the real callback out: an idle connection is dropped after `idleTimeoutMs`, and a new one past
 * `maxConnections` drops the oldest connection that is not being answered (a callback waiting for the code
 * exchange is being answered, so it is never the one dropped).
 */
export function limitConnections(limits: ConnectionLimits = {}) {
  const max = Math.max(1, limits.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
  const idleMs = limits.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  // Insertion order is age order; the value says whether a request on it is being answered.
  const sockets = new Map<Socket, boolean>();

  const evictOldestIdle = (): void => {
    for (const [socket, busy] of sockets) {
      if (!busy) {
        sockets.delete(socket);
        socket.destroy();
        return;
      }
    }
  };

  const onConnection = (socket: Socket): void => {
    sockets.set(socket, false);
    socket.once('close', () => sockets.delete(socket));
    socket.setTimeout(idleMs, () => {
      if (sockets.get(socket) !== true) socket.destroy();
    });
    if (sockets.size > max) evictOldestIdle();
  };

  return {
    attach(server: Server): void {
      server.on('connection', onConnection);
      // Idle connections are this module's to drop: without a listener, Node would also destroy a connection
      // whose callback is still waiting for its page (the code exchange) when its socket times out.
      server.on('timeout', () => undefined);
      server.on('request', (request, response) => {
        const { socket } = request;
        if (sockets.has(socket)) sockets.set(socket, true);
        response.once('close', () => {
          if (sockets.has(socket)) sockets.set(socket, false);
        });
      });
    },
    /** How many connections are open now. */
    get size(): number {
      return sockets.size;
    },
  };
}
