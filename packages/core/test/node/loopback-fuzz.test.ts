import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type ApsAuthConfig, isAuthorizationResponseError, parseCallback } from '../../src/index.js';
import { type CallbackVerdict, startLoopbackServer } from '../../src/node/index.js';
import { freePort, httpRequest } from './helpers.js';

/** mulberry32: a small seeded generator, so a failure can be replayed with FUZZ_SEED. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  return { next, int, pick, bytes };
}

const STATE = 'S3cr3t-state_0123456789abcdefghijklmnopqrstu';
const PATH = '/api/auth/callback';

/** One request that must never complete the flow. */
function makeCase(g: ReturnType<typeof generator>, port: number): { raw: Buffer; halfClose: boolean } {
  const host = `localhost:${port}`;
  const wrongState = g.pick([
    '',
    'x',
    `${STATE}x`,
    STATE.slice(1),
    STATE.toUpperCase(),
    `${STATE}%00`,
    '%E0%A4%A',
  ]);
  const queries = [
    `?code=abc&state=${wrongState}`,
    `?state=${STATE}&state=${STATE}&code=abc`,
    `?code=a&code=b&state=${STATE}`,
    `?state=${STATE}`,
    `?state=${STATE}&code=`,
    `?error=access_denied&state=${wrongState}`,
    `?error=access_denied&error=x&state=${STATE}`,
    `?code=%ZZ&state=%`,
    `?code=${'A'.repeat(g.int(20_000))}&state=${wrongState}`,
    `?${'&'.repeat(g.int(500))}`,
    `?code=abc&state=${STATE}&iss=https%3A%2F%2Fevil.example`,
    `?${g.bytes(g.int(200)).toString('latin1')}`,
    `?code=abc&state=${encodeURIComponent(STATE)}%20`,
  ];
  const right = `?code=abc&state=${STATE}`;
  const kind = g.int(12);
  const line = (method: string, target: string, version = 'HTTP/1.1', headers = `Host: ${host}\r\n`) =>
    Buffer.from(`${method} ${target} ${version}\r\n${headers}\r\n`, 'latin1');
  switch (kind) {
    case 0:
      return { raw: g.bytes(1 + g.int(4000)), halfClose: g.next() < 0.5 };
    case 1:
      return { raw: line('GET', PATH + g.pick(queries)), halfClose: g.next() < 0.5 };
    case 2:
      return {
        raw: line(g.pick(['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'BREW']), PATH + right),
        halfClose: true,
      };
    case 3:
      return {
        raw: line(
          'GET',
          g.pick(['/', '/api/auth', `${PATH}/`, `${PATH}x`, '//evil', '*', '/%2e%2e/']) + right,
        ),
        halfClose: true,
      };
    case 4:
      return {
        raw: line(
          'GET',
          PATH + right,
          'HTTP/1.1',
          `Host: ${g.pick(['evil.example', `127.0.0.1:${port}`, '', 'localhost', `localhost:${port}x`])}\r\n`,
        ),
        halfClose: true,
      };
    case 5:
      return { raw: line('GET', PATH + right, 'HTTP/1.0', ''), halfClose: true };
    case 6:
      return { raw: line('GET', PATH + g.pick(queries), 'HTTP/1.0', `Host: ${host}\r\n`), halfClose: true };
    case 7:
      return {
        raw: line(
          'GET',
          PATH + right,
          'HTTP/1.1',
          `Host: ${host}\r\nX-Big: ${'a'.repeat(20_000 + g.int(50_000))}\r\n`,
        ),
        halfClose: true,
      };
    case 8:
      return {
        raw: line('GET', PATH + right, 'HTTP/1.1', `Host: ${host}\r\nHost: ${host}\r\n`),
        halfClose: true,
      };
    case 9: {
      const full = line('GET', PATH + g.pick(queries));
      return { raw: full.subarray(0, g.int(full.length)), halfClose: g.next() < 0.5 };
    }
    case 10:
      return {
        raw: line('GET', `${PATH}?code=abc&state=${wrongState}`, g.pick(['HTTP/2.0', 'HTTP/9', 'FOO', ''])),
        halfClose: true,
      };
    default:
      return {
        raw: Buffer.concat([line('GET', PATH + g.pick(queries)), g.bytes(g.int(300))]),
        halfClose: g.next() < 0.7,
      };
  }
}

function send(port: number, raw: Buffer, halfClose: boolean): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: g6(), port });
    // Bound each case: a socket the server keeps open (an unfinished request) is dropped after 2 s.
    const bound = setTimeout(() => socket.destroy(), 2_000);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(bound);
      resolve();
    });
    socket.on('data', () => undefined);
    socket.on('connect', () => {
      socket.write(raw, () => {
        if (halfClose) socket.end();
        else socket.destroy();
      });
    });
  });
}
let flip = 0;
const g6 = () => (flip++ % 2 === 0 ? '127.0.0.1' : '::1');

describe('the loopback listener under 1,000 random and malformed requests', () => {
  it('never crashes and never completes the flow; a correct callback still completes it', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20261129);
    const g = generator(seed);
    const port = await freePort();
    const config: ApsAuthConfig = {
      clientId: 'c',
      redirectUri: `http://localhost:${port}${PATH}`,
      baseUrl: 'http://127.0.0.1:1',
    };
    let refusals = 0;
    const server = await startLoopbackServer<string>({
      redirectUri: `http://localhost:${port}${PATH}`,
      onCallback: (query): CallbackVerdict<string> => {
        try {
          return {
            kind: 'done',
            value: parseCallback(config, query, { state: STATE }).code,
            page: { ok: true, title: 'ok', message: '' },
          };
        } catch (error) {
          if (isAuthorizationResponseError(error) && error.code === 'AUTHORIZATION_RESPONSE_ERROR') {
            return { kind: 'failed', error, page: { ok: false, title: 'failed', message: '' } };
          }
          return { kind: 'refused', status: 400, page: { ok: false, title: 'refused', message: '' } };
        }
      },
      onRefused: () => {
        refusals++;
      },
    });
    let settled = false;
    void server.result.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    const started = Date.now();
    const cases = Array.from({ length: 1000 }, () => makeCase(g, port));
    for (let i = 0; i < cases.length; i += 50) {
      await Promise.all(cases.slice(i, i + 50).map((c) => send(port, c.raw, c.halfClose)));
      expect(settled, `settled after case batch ${i} (seed ${seed})`).toBe(false);
    }
    console.info(
      `fuzz: 1000 requests in ${Date.now() - started} ms, ${refusals} refused callbacks, seed ${seed}`,
    );
    expect(refusals).toBeGreaterThan(50);
    expect(settled).toBe(false);
    const ok = await httpRequest(port, `${PATH}?code=the-code&state=${STATE}`);
    expect(ok.status).toBe(200);
    await expect(server.result).resolves.toBe('the-code');
  }, 60_000);
});
