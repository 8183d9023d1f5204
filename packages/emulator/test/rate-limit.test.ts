import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '../src/index.js';
import { authorizeUrl, basic, CALLBACK, get, postForm, start } from './helpers.js';

const AUTH = { authorization: basic('web-app', 'web-secret') };
const ERR001 = {
  developerMessage: expect.stringMatching(/rate limit/),
  userMessage: expect.any(String),
  errorCode: 'ERR-001',
  'more info': 'https://aps.autodesk.com/en/docs/oauth/v2/developers_guide/error_handling/',
};

describe('rate limits per client', () => {
  it("defaults to APS's documented limits", () => {
    expect(DEFAULT_RATE_LIMITS).toEqual({ token: 500, authorize: 100, introspect: 100, revoke: 100 });
  });

  it('answers 429 in the gateway shape with Retry-After once the per-minute limit is spent, per client', async () => {
    // A frozen base clock: only advanceClock moves time, so Retry-After is exact.
    const frozen = Date.now();
    const s = await start({ rateLimits: { token: 3 }, now: () => frozen });
    const cc = () =>
      postForm(
        `${s.url}/authentication/v2/token`,
        { grant_type: 'client_credentials', scope: 'data:read' },
        AUTH,
      );
    for (let i = 0; i < 3; i++) expect((await cc()).status).toBe(200);
    s.control.advanceClock(20);
    const limited = await cc();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('40');
    expect(await limited.json()).toEqual(ERR001);
    expect(s.control.requests().at(-1)).toMatchObject({
      endpoint: 'token',
      status: 429,
      error: 'ERR-001',
      clientId: 'web-app',
    });
    // Another client has its own budget.
    s.control.registerClient({ clientId: 'other', clientSecret: 'o', redirectUris: [] });
    const other = await postForm(
      `${s.url}/authentication/v2/token`,
      { grant_type: 'client_credentials', scope: 'data:read' },
      { authorization: basic('other', 'o') },
    );
    expect(other.status).toBe(200);
    // The window ends on the emulator clock.
    s.control.advanceClock(40);
    expect((await cc()).status).toBe(200);
  });

  it("applies APS's default limits over HTTP: token 500, authorize 100, revoke 100 a minute", async () => {
    const s = await start({ now: () => 1_900_000_000_000 });
    // An unknown grant type is cheap (no signing) and still counts: the limit is checked after client auth.
    const token = () => postForm(`${s.url}/authentication/v2/token`, { grant_type: 'none' }, AUTH);
    const count = async (call: () => Promise<Response>, n: number) => {
      const statuses = await Promise.all(Array.from({ length: n }, call).map(async (p) => (await p).status));
      return statuses.filter((st) => st !== 429).length;
    };
    expect(await count(token, 501)).toBe(500);
    expect((await token()).status).toBe(429);
    const url = authorizeUrl(s.url, {
      client_id: 'web-app',
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'a',
    });
    expect(await count(() => get(url), 101)).toBe(100);
    const revoke = () =>
      postForm(`${s.url}/authentication/v2/revoke`, { token: 'x', token_type_hint: 'access_token' }, AUTH);
    expect(await count(revoke, 101)).toBe(100);
  });

  it('limits the default 100 introspect calls a minute', async () => {
    const s = await start();
    const call = () => postForm(`${s.url}/authentication/v2/introspect`, { token: 'x' }, AUTH);
    const statuses = [];
    for (let i = 0; i < 101; i++) statuses.push((await call()).status);
    expect(statuses.slice(0, 100).every((st) => st === 200)).toBe(true);
    expect(statuses[100]).toBe(429);
  });

  it('limits authorize and revoke too', async () => {
    const s = await start({ rateLimits: { authorize: 1, revoke: 1 }, autoApprove: true });
    const url = authorizeUrl(s.url, {
      client_id: 'web-app',
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'a',
    });
    expect((await get(url)).status).toBe(302);
    const a = await get(url);
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('60');
    expect(await a.json()).toEqual(ERR001);
    expect(
      (
        await postForm(
          `${s.url}/authentication/v2/revoke`,
          { token: 'x', token_type_hint: 'access_token' },
          AUTH,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await postForm(
          `${s.url}/authentication/v2/revoke`,
          { token: 'x', token_type_hint: 'access_token' },
          AUTH,
        )
      ).status,
    ).toBe(429);
  });

  it('rateLimits: false switches them off; reset clears the counters', async () => {
    const off = await start({ rateLimits: false });
    for (let i = 0; i < 120; i++) {
      expect(
        (
          await postForm(
            `${off.url}/authentication/v2/revoke`,
            { token: 'x', token_type_hint: 'access_token' },
            AUTH,
          )
        ).status,
      ).toBe(200);
    }
    const s = await start({ rateLimits: { revoke: 1 } });
    expect(
      (
        await postForm(
          `${s.url}/authentication/v2/revoke`,
          { token: 'x', token_type_hint: 'access_token' },
          AUTH,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await postForm(
          `${s.url}/authentication/v2/revoke`,
          { token: 'x', token_type_hint: 'access_token' },
          AUTH,
        )
      ).status,
    ).toBe(429);
    s.control.reset();
    expect(
      (
        await postForm(
          `${s.url}/authentication/v2/revoke`,
          { token: 'x', token_type_hint: 'access_token' },
          AUTH,
        )
      ).status,
    ).toBe(200);
  });

  it('rejects invalid limits', async () => {
    await expect(start({ rateLimits: { token: 0 } })).rejects.toThrow(/rateLimits.token/);
  });
});
