import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import type { RequestLogEntry } from '../src/index.js';
import { basic, decodeJwtHeader, loginConfidential, postForm, start } from './helpers.js';

async function jwks(url: string): Promise<JSONWebKeySet> {
  return (await (await fetch(`${url}/authentication/v2/keys`)).json()) as JSONWebKeySet;
}

function introspect(url: string, token: string) {
  return postForm(
    `${url}/authentication/v2/introspect`,
    { token },
    { authorization: basic('web-app', 'web-secret') },
  );
}

describe('JWKS caching', () => {
  it("is served with APS's Cache-Control: max-age=604800 (7 days)", async () => {
    const s = await start();
    const res = await fetch(`${s.url}/authentication/v2/keys`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('max-age=604800');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });
});

describe('signing-key rotation', () => {
  it('POST /__emulator/keys/rotate signs with a new kid and keeps the old key published by default', async () => {
    const s = await start();
    const old = await loginConfidential(s, 'openid data:read');
    const oldKid = decodeJwtHeader(old.access_token).kid;
    const res = await fetch(`${s.url}/__emulator/keys/rotate`, { method: 'POST' });
    expect(res.status).toBe(200);
    const { kid, kids } = (await res.json()) as { kid: string; kids: string[] };
    expect(kid).not.toBe(oldKid);
    expect(kids).toEqual([kid, oldKid]);
    const set = await jwks(s.url);
    expect(set.keys.map((k) => k.kid)).toEqual([kid, oldKid]);

    const fresh = await loginConfidential(s, 'openid data:read');
    expect(decodeJwtHeader(fresh.access_token).kid).toBe(kid);
    expect(decodeJwtHeader(fresh.id_token ?? '').kid).toBe(kid);
    const local = createLocalJWKSet(set);
    await jwtVerify(fresh.id_token ?? '', local, { currentDate: new Date(s.control.now()) });
    await jwtVerify(old.id_token ?? '', local, { currentDate: new Date(s.control.now()) });
    // Tokens signed by the previous key still work.
    expect(await (await introspect(s.url, old.access_token)).json()).toMatchObject({ active: true });
  });

  it('keepPrevious: false unpublishes the old key: its tokens stop working', async () => {
    const s = await start();
    const old = await loginConfidential(s);
    const rotation = await s.control.rotateKeys({ keepPrevious: false });
    expect(rotation.kids).toEqual([rotation.kid]);
    expect((await jwks(s.url)).keys.map((k) => k.kid)).toEqual([rotation.kid]);
    expect(await (await introspect(s.url, old.access_token)).json()).toEqual({ active: false });
    const info = await fetch(`${s.url}/userinfo`, {
      headers: { authorization: `Bearer ${old.access_token}` },
    });
    expect(info.status).toBe(401);
    const bad = await fetch(`${s.url}/__emulator/keys/rotate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"keepPrevious":"no"}',
    });
    expect(bad.status).toBe(400);
  });

  it('reset unpublishes previous keys', async () => {
    const s = await start();
    await s.control.rotateKeys();
    expect((await jwks(s.url)).keys).toHaveLength(2);
    s.control.reset();
    expect((await jwks(s.url)).keys).toHaveLength(1);
  });
});

describe('requests are logged when they arrive', () => {
  it('a delayed request shows as pending (status 0) until answered, and onRequest fires on arrival', async () => {
    const arrivals: RequestLogEntry[] = [];
    const s = await start({ onRequest: (e) => arrivals.push(e) });
    s.control.addFault({ endpoint: 'token', delayMs: 400 });
    const answer = postForm(
      `${s.url}/authentication/v2/token`,
      { grant_type: 'client_credentials', scope: 'data:read' },
      { authorization: basic('web-app', 'web-secret') },
    );
    await vi.waitFor(() => expect(s.control.requests()).toHaveLength(1));
    expect(s.control.requests()).toEqual([
      {
        id: 1,
        time: expect.any(String),
        method: 'POST',
        path: '/authentication/v2/token',
        endpoint: 'token',
        status: 0,
        pending: true,
      },
    ]);
    expect(arrivals).toEqual([expect.objectContaining({ endpoint: 'token', pending: true, status: 0 })]);
    expect((await answer).status).toBe(200);
    const [done] = s.control.requests();
    expect(done).toMatchObject({ status: 200, grantType: 'client_credentials', clientAuth: 'basic' });
    expect(done).not.toHaveProperty('pending');
  });
});
