import { describe, expect, it, vi } from 'vitest';
import { getTwoLeggedToken, getUserInfo, isUnexpectedResponseError, refreshToken } from '../src/index.js';
import { MAX_RESPONSE_BYTES } from '../src/response-limit.js';
import { startHostileServer } from './hostile-server.js';

/** A server whose every answer is an endless body; it counts what it wrote until the client hung up. */
async function endlessServer(status: number, contentType = 'application/json') {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const connections: { written: number; closed: boolean }[] = [];
  const server = await startHostileServer((_request, response) => {
    const connection = { written: 0, closed: false };
    connections.push(connection);
    response.writeHead(status, { 'content-type': contentType });
    response.write('{"access_token":"');
    const pump = () => {
      while (!connection.closed && connection.written < 1024 ** 3) {
        connection.written += chunk.length;
        if (!response.write(chunk)) {
          response.once('drain', pump);
          return;
        }
      }
    };
    response.on('close', () => {
      connection.closed = true;
    });
    pump();
  });
  return { server, connections };
}

const expectTooLarge = (error: unknown, endpoint: string, status: number) => {
  expect(isUnexpectedResponseError(error)).toBe(true);
  expect(error).toMatchObject({
    code: 'UNEXPECTED_RESPONSE',
    reason: 'response_too_large',
    endpoint,
    status,
  });
  expect((error as Error).message).toContain('response too large');
};

describe('response bodies are capped at 1 MiB', () => {
  it('an endless 200 from the token endpoint is cut off: the connection is closed, memory stays bounded', async () => {
    const { server, connections } = await endlessServer(200);
    const heapBefore = process.memoryUsage().arrayBuffers;
    const error = await refreshToken(
      { clientId: 'app', baseUrl: server.url, timeoutMs: 60_000 },
      { refreshToken: 'RT-0123456789' },
    ).catch((e: unknown) => e);
    expectTooLarge(error, 'token', 200);
    // The client hung up: the server stopped writing, having written the cap plus what sockets buffer.
    await vi.waitFor(() => expect(connections[0]?.closed).toBe(true));
    expect(connections[0]!.written).toBeLessThan(16 * MAX_RESPONSE_BYTES);
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(64 * MAX_RESPONSE_BYTES);
    expect(server.requests).toHaveLength(1);
  });

  it('an endless error body on a retried step is cut off on every attempt, and reported as too large', async () => {
    const { server, connections } = await endlessServer(503, 'text/html');
    const error = await getUserInfo(
      { clientId: 'app', baseUrl: server.url, retry: { limit: 1, maxRetryAfterMs: 10 } },
      { accessToken: 'at' },
    ).catch((e: unknown) => e);
    expectTooLarge(error, 'userinfo', 503);
    await vi.waitFor(() => expect(connections.every((c) => c.closed)).toBe(true));
    for (const connection of connections) expect(connection.written).toBeLessThan(16 * MAX_RESPONSE_BYTES);
  });

  it('a Content-Length over the cap is refused before the body is read', async () => {
    const server = await startHostileServer((_request, response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(4 * 1024 ** 3),
      });
      response.write('{');
    });
    const error = await getTwoLeggedToken(
      { clientId: 'app', clientSecret: 'secret-value', baseUrl: server.url, retry: { limit: 0 } },
      { scopes: 'data:read' },
    ).catch((e: unknown) => e);
    expectTooLarge(error, 'token', 200);
  });

  it('a body of exactly 1 MiB is read', async () => {
    const padding = ' '.repeat(MAX_RESPONSE_BYTES - 80);
    const body = `{"access_token":"at","token_type":"Bearer","expires_in":3600${padding}}`;
    const server = await startHostileServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body.padEnd(MAX_RESPONSE_BYTES - 1, ' ').concat('\n'));
    });
    const token = await getTwoLeggedToken(
      { clientId: 'app', clientSecret: 'secret-value', baseUrl: server.url },
      { scopes: 'data:read' },
    );
    expect(token.accessToken).toBe('at');
  });
});
