import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type CallbackVerdict, type LoopbackLimits, startLoopbackServer } from '../../src/node/index.js';
import { freePort, httpRequest } from './helpers.js';

const done = (query: URLSearchParams): CallbackVerdict<string> =>
  query.get('state') === 'good'
    ? { kind: 'done', value: query.get('code') ?? '', page: { ok: true, title: 'Signed in', message: 'ok' } }
    : { kind: 'refused', status: 400, page: { ok: false, title: 'Wrong state', message: 'no' } };

/** Opens a raw connection and resolves once it is connected; `closed` settles when the server drops it. */
function openIdle(port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const closed = new Promise<void>((settle) => socket.once('close', () => settle()));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

type Page = { ok: boolean; title: string; message: string };

/** A listener whose callback's page waits until `release(page)`, as while the sign-in's exchange runs. */
async function startWithHeldPage(port: number, limits: LoopbackLimits) {
  let release: (page: Page) => void = () => undefined;
  const page = new Promise<Page>((resolve) => {
    release = resolve;
  });
  const server = await startLoopbackServer({
    redirectUri: `http://localhost:${port}/cb`,
    onCallback: (query) => ({ kind: 'done', value: query.get('code') ?? '', page }),
    limits,
  });
  return { server, release };
}

describe('the loopback listener caps connections and idle time', () => {
  it('400 idle connections from a local process do not keep the real callback out; at most 64 stay open', async () => {
    const port = await freePort();
    const server = await startLoopbackServer({
      redirectUri: `http://localhost:${port}/cb`,
      onCallback: done,
    });
    const idle: Awaited<ReturnType<typeof openIdle>>[] = [];
    for (let i = 0; i < 400; i++) idle.push(await openIdle(port));
    // The oldest idle ones are dropped as new ones come: 400 - 64 of them.
    let dropped = 0;
    for (const connection of idle) void connection.closed.then(() => dropped++);
    await expect.poll(() => dropped, { timeout: 15_000 }).toBeGreaterThanOrEqual(336);
    const answer = await httpRequest(port, '/cb?state=good&code=real');
    expect(answer.status).toBe(200);
    await expect(server.result).resolves.toBe('real');
    for (const { socket } of idle) socket.destroy();
    await server.close();
  }, 20_000);

  it('an idle connection is dropped after the idle timeout; so is one whose headers never end', async () => {
    const port = await freePort();
    const server = await startLoopbackServer({
      redirectUri: `http://localhost:${port}/cb`,
      onCallback: done,
      limits: { idleTimeoutMs: 50 },
    });
    const silent = await openIdle(port);
    await silent.closed;
    const slow = await openIdle(port);
    slow.socket.write(`GET /cb?state=good&code=x HTTP/1.1\r\nHost: localhost:${port}\r\n`);
    await slow.closed;
    // The listener still answers.
    expect((await httpRequest(port, '/cb?state=good&code=after')).status).toBe(200);
    await expect(server.result).resolves.toBe('after');
    await server.close();
  });

  it('a callback waiting for its page is never the connection dropped for a new one', async () => {
    const port = await freePort();
    const { server, release } = await startWithHeldPage(port, { maxConnections: 2 });
    const pending = httpRequest(port, '/cb?state=good&code=first');
    await expect(server.result).resolves.toBe('first');
    const others = await Promise.all([openIdle(port), openIdle(port), openIdle(port)]);
    await Promise.race(others.map((o) => o.closed));
    release({ ok: true, title: 'Signed in after the exchange', message: 'ok' });
    const answer = await pending;
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('Signed in after the exchange');
    for (const { socket } of others) socket.destroy();
    await server.close();
  });

  it('a callback waiting for its page longer than the idle timeout still gets it', async () => {
    const port = await freePort();
    const { server, release } = await startWithHeldPage(port, { idleTimeoutMs: 20 });
    const pending = httpRequest(port, '/cb?state=good&code=slow');
    await expect(server.result).resolves.toBe('slow');
    // An idle connection opened after the callback went quiet is dropped: the callback's has been quiet longer.
    await (await openIdle(port)).closed;
    release({ ok: true, title: 'Signed in late', message: 'ok' });
    const answer = await pending;
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('Signed in late');
    await server.close();
  });

  it('a 20 KB callback query gets a 431 page, not a reset; the listener goes on', async () => {
    const port = await freePort();
    const server = await startLoopbackServer({
      redirectUri: `http://localhost:${port}/cb`,
      onCallback: done,
    });
    const answer = await fetch(`http://localhost:${port}/cb?state=good&code=${'x'.repeat(20_480)}`);
    expect(answer.status).toBe(431);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await answer.text()).toContain('Request too large');
    expect((await httpRequest(port, '/cb?state=good&code=small')).status).toBe(200);
    await expect(server.result).resolves.toBe('small');
    await server.close();
  });

  it('the page of a done callback waits for the flow, bounded: "still finishing" after answerTimeoutMs', async () => {
    const port = await freePort();
    const server = await startLoopbackServer({
      redirectUri: `http://localhost:${port}/cb`,
      onCallback: (query) => ({
        kind: 'done',
        value: query.get('code') ?? '',
        page: new Promise<never>(() => undefined),
      }),
      limits: { answerTimeoutMs: 1 },
    });
    const answer = await httpRequest(port, '/cb?state=good&code=slow');
    expect(answer.body).toContain('Still finishing the sign-in');
    expect(answer.body).toContain('Return to your terminal');
    await server.close();
  });
});
