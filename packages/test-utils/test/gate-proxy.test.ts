import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateProxy } from '../src/index.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A server that answers every request with its path, and counts what reached it. */
async function startEcho() {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.url ?? '');
    res.end(`echo ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

describe('startGateProxy', () => {
  it('forwards requests, and holds the next one to a held path until it is released', async () => {
    const echo = await startEcho();
    const proxy = await startGateProxy(echo.url);
    closers.push(() => proxy.close());
    expect(await (await fetch(`${proxy.url}/free`)).text()).toBe('echo /free');
    const held = proxy.hold('/slow');
    const answer = fetch(`${proxy.url}/slow?x=1`).then((r) => r.text());
    await held.arrived;
    // Held at the proxy: the server has not seen it; another path still passes.
    expect(await (await fetch(`${proxy.url}/other`)).text()).toBe('echo /other');
    expect(echo.seen).toEqual(['/free', '/other']);
    held.release();
    expect(await answer).toBe('echo /slow?x=1');
    expect(proxy.arrivals()).toEqual(['/free', '/slow?x=1', '/other']);
  });

  it('close drops a request still held: it never reaches the server', async () => {
    const echo = await startEcho();
    const proxy = await startGateProxy(echo.url);
    const held = proxy.hold('/never');
    const answer = fetch(`${proxy.url}/never`).catch((e: unknown) => e);
    await held.arrived;
    await proxy.close();
    expect(await answer).toBeInstanceOf(Error);
    expect(echo.seen).toEqual([]);
  });
});
