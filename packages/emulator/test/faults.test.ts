import { describe, expect, it } from 'vitest';
import { createEmulator, DroppedConnectionError } from '../src/index.js';
import { basic, postForm, start } from './helpers.js';

const AUTH = { authorization: basic('web-app', 'web-secret') };
const cc = (url: string) =>
  postForm(`${url}/authentication/v2/token`, { grant_type: 'client_credentials', scope: 'data:read' }, AUTH);

describe('faults for the next N calls of an endpoint', () => {
  it('answers a status with a JSON body for `times` calls, then the real handler again', async () => {
    const s = await start();
    s.control.addFault({
      endpoint: 'token',
      times: 2,
      status: 503,
      body: '{"error":"temporarily_unavailable"}',
      headers: { 'Retry-After': '7' },
    });
    for (let i = 0; i < 2; i++) {
      const res = await cc(s.url);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
      expect(res.headers.get('retry-after')).toBe('7');
      expect(await res.json()).toEqual({ error: 'temporarily_unavailable' });
    }
    expect((await cc(s.url)).status).toBe(200);
    expect(s.control.requests().map((r) => [r.endpoint, r.status, r.error])).toEqual([
      ['token', 503, 'fault'],
      ['token', 503, 'fault'],
      ['token', 200, undefined],
    ]);
  });

  it('answers an HTML page (a gateway 502) when contentType is text/html', async () => {
    const s = await start();
    s.control.addFault({
      endpoint: 'keys',
      status: 502,
      body: '<html><body>Bad Gateway</body></html>',
      contentType: 'text/html',
    });
    const res = await fetch(`${s.url}/authentication/v2/keys`);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(await res.text()).toBe('<html><body>Bad Gateway</body></html>');
  });

  it('only affects its endpoint', async () => {
    const s = await start();
    s.control.addFault({ endpoint: 'introspect', status: 500 });
    expect((await cc(s.url)).status).toBe(200);
    const res = await postForm(`${s.url}/authentication/v2/introspect`, { token: 'x' }, AUTH);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
  });

  it('a delay alone delays the real response', async () => {
    const s = await start();
    s.control.addFault({ endpoint: 'token', delayMs: 300 });
    const started = performance.now();
    const res = await cc(s.url);
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(s.control.requests().map((r) => [r.endpoint, r.status, r.error])).toEqual([
      ['token', 200, undefined],
    ]);
  });

  it('a delay lets a client time out', async () => {
    const s = await start();
    s.control.addFault({ endpoint: 'token', delayMs: 2000 });
    await expect(
      fetch(`${s.url}/authentication/v2/token`, { method: 'POST', signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow(/timeout|aborted/i);
  });

  it('drop destroys the connection without any response', async () => {
    const s = await start();
    s.control.addFault({ endpoint: 'token', drop: true });
    const err = await cc(s.url).then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: { code?: string } },
    );
    expect(err).toBeInstanceOf(TypeError);
    expect(err?.cause?.code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(s.control.requests().at(-1)).toMatchObject({
      endpoint: 'token',
      status: 0,
      error: 'connection_dropped',
    });
    expect((await cc(s.url)).status).toBe(200);
  });

  it('without a Node server, a drop makes fetch() reject', async () => {
    const emu = await createEmulator();
    emu.control.addFault({ endpoint: 'keys', drop: true });
    await expect(emu.fetch(new Request('http://emu.test/authentication/v2/keys'))).rejects.toBeInstanceOf(
      DroppedConnectionError,
    );
    expect((await emu.fetch(new Request('http://emu.test/authentication/v2/keys'))).status).toBe(200);
  });

  it('clearFaults removes waiting faults', async () => {
    const s = await start();
    s.control.addFault({ endpoint: 'token', status: 500, times: 5 });
    s.control.clearFaults();
    expect((await cc(s.url)).status).toBe(200);
  });

  it('rejects invalid faults', async () => {
    const s = await start();
    expect(() => s.control.addFault({ endpoint: 'nope' as 'token', status: 500 })).toThrow(/endpoint/);
    expect(() => s.control.addFault({ endpoint: 'token' })).toThrow(/status, a delayMs or drop/);
    expect(() => s.control.addFault({ endpoint: 'token', status: 99 })).toThrow(/status/);
    expect(() => s.control.addFault({ endpoint: 'token', status: 500, times: 0 })).toThrow(/times/);
    expect(() => s.control.addFault({ endpoint: 'token', body: 'x' })).toThrow(/body needs a status/);
  });
});
