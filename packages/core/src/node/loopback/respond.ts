import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type CallbackPage, renderCallbackPage } from '../../callback-page.js';

const HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  connection: 'close',
};

/** Answers with a page (or a bare status line as text), with the listener's security headers. */
export function respond(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  page: CallbackPage | undefined,
  extra: Record<string, string | string[]> = {},
): void {
  const body = page ? renderCallbackPage(page) : `${status}\n`;
  response.writeHead(status, {
    ...HEADERS,
    'content-type': page ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
    ...extra,
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

const TOO_LARGE: CallbackPage = {
  ok: false,
  title: 'Request too large',
  message:
    'This address received a request far larger than a sign-in callback, so it was not read. ' +
    'If you were signing in, start the sign-in again from your terminal.',
};

/**
 * A request the HTTP parser refused: a request too large (e.g. a 20 KB query) gets a 431 page, read to its
 * end so that closing is not a reset; anything else is dropped.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code !== 'HPE_HEADER_OVERFLOW' || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = renderCallbackPage(TOO_LARGE);
  const head = [
    'HTTP/1.1 431 Request Header Fields Too Large',
    ...Object.entries(HEADERS).map(([name, value]) => `${name}: ${value}`),
    'content-type: text/html; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
  ];
  socket.on('error', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  // Read (and drop) what the client still sends, then close: unread data would turn the close into a reset.
  socket.resume();
  socket.setTimeout(1_000, () => socket.destroy());
}
