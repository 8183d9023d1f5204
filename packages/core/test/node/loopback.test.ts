import { connect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isAbortedError, isCallbackServerError } from '../../src/index.js';
import { type CallbackVerdict, startLoopbackServer } from '../../src/node/index.js';
import { freePort, httpRequest, LOOPBACK_V4_HEX, LOOPBACK_V6_HEX, listeningAddresses } from './helpers.js';

const verdicts = (query: URLSearchParams): CallbackVerdict<string | null> => {
  if (query.get('state') !== 'good') {
    return { kind: 'refused', status: 400, page: { ok: false, title: 'Wrong state', message: 'not yours' } };
  }
  if (query.get('error') === 'access_denied') {
    return {
      kind: 'failed',
      error: new Error('denied'),
      page: { ok: false, title: 'Refused', message: 'denied' },
    };
  }
  return { kind: 'done', value: query.get('code'), page: { ok: true, title: 'Signed in', message: 'close' } };
};

async function serve(path = '/api/auth/callback', host = 'localhost', signal?: AbortSignal) {
  const refused: string[] = [];
  const server = await startLoopbackServer({
    redirectUri: `http://${host}:${await freePort()}${path}`,
    onCallback: verdicts,
    onRefused: (page) => refused.push(page.title),
    signal,
  });
  const port = Number(new URL(server.redirectUri).port);
  return { server, port, refused };
}

describe('startLoopbackServer', () => {
  it('localhost binds 127.0.0.1 and ::1 only, never every interface', async () => {
    const { server, port } = await serve();
    expect(listeningAddresses(port)).toEqual([LOOPBACK_V6_HEX, LOOPBACK_V4_HEX].sort());
    expect(listeningAddresses(port)).not.toContain('00000000');
    expect(listeningAddresses(port)).not.toContain('00000000000000000000000000000000');
    await server.close();
    expect(listeningAddresses(port)).toEqual([]);
  });

  it('127.0.0.1 binds only that address; the port given is kept, redirectUri is the string given', async () => {
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/cb`;
    const server = await startLoopbackServer({ redirectUri, onCallback: verdicts });
    expect(server.redirectUri).toBe(redirectUri);
    expect(listeningAddresses(port)).toEqual([LOOPBACK_V4_HEX]);
    expect((await httpRequest(port, '/cb?state=good&code=c', { host: `127.0.0.1:${port}` })).status).toBe(
      200,
    );
    await expect(server.result).resolves.toBe('c');
  });

  it('[::1] binds only ::1', async () => {
    const port = await freePort();
    const server = await startLoopbackServer({
      redirectUri: `http://[::1]:${port}/cb`,
      onCallback: verdicts,
    });
    expect(listeningAddresses(port)).toEqual([LOOPBACK_V6_HEX]);
    const ok = await httpRequest(port, '/cb?state=good&code=v6', { address: '::1', host: `[::1]:${port}` });
    expect(ok.status).toBe(200);
    await expect(server.result).resolves.toBe('v6');
  });

  it('404 elsewhere, 405 for POST, 400 for a wrong Host header; then still completes', async () => {
    const { server, port, refused } = await serve();
    expect((await httpRequest(port, '/')).status).toBe(404);
    expect((await httpRequest(port, '/api/auth/callback/extra?state=good&code=a')).status).toBe(404);
    expect((await httpRequest(port, '/API/auth/callback?state=good&code=a')).status).toBe(404);
    const post = await httpRequest(port, '/api/auth/callback?state=good&code=a', {
      method: 'POST',
      body: 'x=1',
    });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1:${port}`,
      'localhost',
      `localhost:${port + 1}`,
    ]) {
      expect((await httpRequest(port, '/api/auth/callback?state=good&code=a', { host })).status).toBe(400);
    }
    expect(refused).toEqual([]);
    const ok = await httpRequest(port, '/api/auth/callback?state=good&code=a', { address: '::1' });
    expect(ok.status).toBe(200);
    await expect(server.result).resolves.toBe('a');
  });

  it('a wrong state is refused with a page and the flow goes on to succeed with the right one', async () => {
    const { server, port, refused } = await serve();
    let settled = false;
    void server.result.finally(() => {
      settled = true;
    });
    const wrong = await httpRequest(port, '/api/auth/callback?state=bad&code=x');
    expect(wrong.status).toBe(400);
    expect(wrong.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(wrong.body).toContain('Wrong state');
    expect(refused).toEqual(['Wrong state']);
    expect(settled).toBe(false);
    const ok = await httpRequest(port, '/api/auth/callback?state=good&code=right');
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('Signed in');
    expect(ok.headers['referrer-policy']).toBe('no-referrer');
    expect(ok.headers['cache-control']).toBe('no-store');
    await expect(server.result).resolves.toBe('right');
    // Closed once the page is written.
    await expect(httpRequest(port, '/api/auth/callback?state=good&code=again')).rejects.toThrow();
  });

  it('a failed verdict (access_denied with the right state) ends it with the error and its page', async () => {
    const { server, port } = await serve();
    const denied = await httpRequest(port, '/api/auth/callback?state=good&error=access_denied');
    expect(denied.status).toBe(400);
    expect(denied.body).toContain('Refused');
    expect(denied.headers['referrer-policy']).toBe('no-referrer');
    await expect(server.result).rejects.toThrow('denied');
  });

  it('HTML in a page is escaped', async () => {
    const server = await startLoopbackServer({
      redirectUri: `http://localhost:${await freePort()}/cb`,
      onCallback: () => ({
        kind: 'refused',
        status: 400,
        page: { ok: false, title: '<b>t</b>', message: '<script>x</script>' },
      }),
    });
    const port = Number(new URL(server.redirectUri).port);
    const answer = await httpRequest(port, '/cb?state=1');
    expect(answer.body).not.toContain('<script>x');
    expect(answer.body).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
    await server.close();
  });

  it('a busy port is CallbackServerError naming the port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await startLoopbackServer({
        redirectUri: `http://localhost:${port}/cb`,
        onCallback: verdicts,
      }).catch((e: unknown) => e);
      expect(isCallbackServerError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'CALLBACK_PORT_UNAVAILABLE', port, host: 'localhost' });
      expect((error as Error).message).toContain(`Port ${port}`);
      expect((error as Error).message).toContain('in use');
      // Nothing left listening on ::1 either.
      expect(listeningAddresses(port)).toEqual([LOOPBACK_V4_HEX]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('a non-loopback or https callback URL, or a port outside 1024-65535, is CALLBACK_URL_UNSUPPORTED', async () => {
    for (const redirectUri of [
      'http://localhost:0/cb',
      'http://localhost/cb',
      'http://localhost:80/cb',
      'http://localhost:1023/cb',
      'http://localhost:99999/cb',
      'http://localhost:8080/cb#x',
      'https://localhost:8080/cb',
      'http://example.com:8080/cb',
      'http://0.0.0.0:8080/cb',
      'http://[::]:8080/cb',
      'not a url',
    ]) {
      const error = await startLoopbackServer({ redirectUri, onCallback: verdicts }).catch((e: unknown) => e);
      expect(error, redirectUri).toMatchObject({
        name: 'CallbackServerError',
        code: 'CALLBACK_URL_UNSUPPORTED',
      });
    }
  });

  it('abort ends the wait with AbortedError and stops listening', async () => {
    const controller = new AbortController();
    const { server, port } = await serve('/cb', 'localhost', controller.signal);
    controller.abort();
    const error = await server.result.catch((e: unknown) => e);
    expect(isAbortedError(error)).toBe(true);
    await server.close();
    await expect(httpRequest(port, '/cb?state=good&code=a')).rejects.toThrow();
    const already = await startLoopbackServer({
      redirectUri: `http://localhost:${await freePort()}/cb`,
      onCallback: verdicts,
      signal: AbortSignal.abort(),
    });
    expect(isAbortedError(await already.result.catch((e: unknown) => e))).toBe(true);
    await already.close();
  });

  it('a HEAD request gets headers only; a throwing onCallback is a refusal', async () => {
    let calls = 0;
    const server = await startLoopbackServer<string>({
      redirectUri: `http://localhost:${await freePort()}/cb`,
      onCallback: () => {
        calls++;
        throw new Error('boom');
      },
    });
    const port = Number(new URL(server.redirectUri).port);
    expect((await httpRequest(port, '/cb?state=x', { method: 'HEAD' })).body).toBe('');
    expect((await httpRequest(port, '/cb?state=x')).status).toBe(400);
    expect(calls).toBe(2);
    await server.close();
  });

  it('a request with two Host headers is refused (raw socket)', async () => {
    const { server, port } = await serve();
    const answer = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        text += chunk;
      });
      socket.on('close', () => resolve(text));
      socket.end(
        `GET /api/auth/callback?state=good&code=a HTTP/1.1\r\nHost: localhost:${port}\r\nHost: localhost:${port}\r\n\r\n`,
      );
    });
    expect(answer.startsWith('HTTP/1.1 400')).toBe(true);
    expect((await httpRequest(port, '/api/auth/callback?state=good&code=b')).status).toBe(200);
    await expect(server.result).resolves.toBe('b');
  });
});
