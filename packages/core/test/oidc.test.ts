import type { RunningEmulator } from '@aps-auth/emulator/node';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearKeySetCache, isIdTokenError, verifyIdToken } from '../src/oidc/index.js';
import { CONFIDENTIAL, confidentialConfig, login, recorder, start } from './helpers.js';

beforeEach(() => clearKeySetCache());

async function signedIn() {
  const server = await start();
  const rec = recorder();
  const config = confidentialConfig(server, { fetch: rec.fetch, now: () => server.control.now() });
  const { token, nonce } = await login(config, { scopes: ['openid', 'data:read'] });
  rec.calls.length = 0;
  const keyFetches = () => rec.calls.filter((c) => c.url.endsWith('/authentication/v2/keys')).length;
  return { server, config, idToken: token.idToken!, nonce: nonce!, keyFetches };
}

/** An id token for the confidential app signed with a key the server never published (`kid` rotated-key). */
async function signWithForeignKey(server: RunningEmulator, nonce: string, lifetime: number): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  const now = Math.floor(server.control.now() / 1000);
  return new SignJWT({ nonce, sub: 'x' })
    .setProtectedHeader({ alg: 'RS256', kid: 'rotated-key' })
    .setIssuer(server.url)
    .setAudience(CONFIDENTIAL.clientId)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetime)
    .sign(privateKey);
}

describe('verifyIdToken', () => {
  it('verifies signature, iss, aud, exp and nonce; caches the key set', async () => {
    const { config, idToken, nonce, keyFetches, server } = await signedIn();
    const claims = await verifyIdToken(config, idToken, { nonce });
    expect(claims).toMatchObject({ iss: server.url, aud: CONFIDENTIAL.clientId, nonce });
    expect(claims.sub).toEqual(expect.any(String));
    // APS's ID token names the email `user_email` (its ID token tutorial), not OIDC's `email`.
    expect(claims.user_email).toEqual(expect.stringContaining('@'));
    await verifyIdToken(config, idToken, { nonce });
    expect(keyFetches()).toBe(1);
  });

  it('rejects a wrong nonce', async () => {
    const { config, idToken } = await signedIn();
    const error = await verifyIdToken(config, idToken, { nonce: 'another-nonce' }).catch((e: unknown) => e);
    expect(isIdTokenError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'nonce' });
  });

  it('rejects another audience and another issuer', async () => {
    const { config, idToken, nonce } = await signedIn();
    await expect(
      verifyIdToken({ ...config, clientId: 'someone-else' }, idToken, { nonce }),
    ).rejects.toMatchObject({
      reason: 'audience',
    });
    await expect(
      verifyIdToken({ ...config, issuer: 'https://evil.test' }, idToken, { nonce }),
    ).rejects.toMatchObject({
      reason: 'issuer',
    });
  });

  it('rejects an expired token, allowing the clock tolerance', async () => {
    const { config, idToken, nonce, server } = await signedIn();
    server.control.advanceClock(3600 + 30);
    await expect(verifyIdToken(config, idToken, { nonce })).resolves.toBeDefined();
    await expect(verifyIdToken(config, idToken, { nonce, clockToleranceSec: 10 })).rejects.toMatchObject({
      reason: 'expired',
    });
  });

  it('rejects a forged signature and garbage', async () => {
    const { config, idToken, nonce } = await signedIn();
    const [h, p] = idToken.split('.');
    const forged = `${h}.${p}.${'A'.repeat(342)}`;
    await expect(verifyIdToken(config, forged, { nonce })).rejects.toMatchObject({ reason: 'signature' });
    await expect(verifyIdToken(config, 'not.a.jwt', { nonce })).rejects.toMatchObject({
      reason: 'malformed',
    });
    await expect(verifyIdToken(config, 'abc', { nonce })).rejects.toMatchObject({ reason: 'malformed' });
  });

  it('refetches the key set on an unknown kid (rate-limited), then rejects an unknown key', async () => {
    const { config, idToken, nonce, keyFetches, server } = await signedIn();
    await verifyIdToken(config, idToken, { nonce });
    const foreign = await signWithForeignKey(server, nonce, 600);
    server.control.advanceClock(60);
    await expect(verifyIdToken(config, foreign, { nonce })).rejects.toMatchObject({ reason: 'unknown_key' });
    expect(keyFetches()).toBe(2);
    // Within the cooldown an unknown kid does not hit the keys endpoint again.
    await expect(verifyIdToken(config, foreign, { nonce })).rejects.toMatchObject({ reason: 'unknown_key' });
    expect(keyFetches()).toBe(2);
  });

  it('picks up rotated keys: a new server on the same URL', async () => {
    const first = await start();
    const url = new URL(first.url);
    let skew = 0;
    const config = confidentialConfig(first, { now: () => Date.now() + skew });
    const a = await login(config, { scopes: ['openid'] });
    await verifyIdToken(config, a.token.idToken!, { nonce: a.nonce! });
    await first.close();
    const second = await start({ port: Number(url.port) });
    const b = await login(config, { scopes: ['openid'] });
    const keyFetchesBefore = second.control.requests().filter((r) => r.endpoint === 'keys').length;
    expect(keyFetchesBefore).toBe(0);
    // Within the refetch cooldown the cached set is kept; past it, the unknown kid triggers a refetch.
    await expect(verifyIdToken(config, b.token.idToken!, { nonce: b.nonce! })).rejects.toMatchObject({
      reason: 'unknown_key',
    });
    skew = 31_000;
    await expect(verifyIdToken(config, b.token.idToken!, { nonce: b.nonce! })).resolves.toMatchObject({
      nonce: b.nonce,
    });
    expect(second.control.requests().filter((r) => r.endpoint === 'keys')).toHaveLength(1);
  });

  it('keys endpoint failures are the transport errors (retried on 5xx)', async () => {
    const { config, idToken, nonce, server } = await signedIn();
    server.control.addFault({ endpoint: 'keys', status: 503, body: 'busy' });
    await expect(verifyIdToken(config, idToken, { nonce })).resolves.toBeDefined();
    clearKeySetCache();
    server.control.addFault({
      endpoint: 'keys',
      status: 500,
      body: '<h1>down</h1>',
      contentType: 'text/html',
      times: 5,
    });
    await expect(verifyIdToken({ ...config, retry: { limit: 1 } }, idToken, { nonce })).rejects.toMatchObject(
      {
        code: 'UNEXPECTED_RESPONSE',
        endpoint: 'keys',
        status: 500,
      },
    );
  });

  it('a keys outage cools down too: an unknown kid does not refetch on every token', async () => {
    const { config, idToken, nonce, keyFetches, server } = await signedIn();
    const noRetry = { ...config, retry: { limit: 0 } };
    await verifyIdToken(noRetry, idToken, { nonce });
    const foreign = await signWithForeignKey(server, nonce, 3600);
    server.control.advanceClock(60);
    server.control.addFault({ endpoint: 'keys', status: 503, body: 'keys down', times: 100 });
    for (let i = 0; i < 5; i++) {
      await expect(verifyIdToken(noRetry, foreign, { nonce })).rejects.toMatchObject({
        code: 'UNEXPECTED_RESPONSE',
        endpoint: 'keys',
        status: 503,
      });
    }
    expect(keyFetches()).toBe(2);
    // Known keys are still served from the cache meanwhile.
    await expect(verifyIdToken(noRetry, idToken, { nonce })).resolves.toBeDefined();
    expect(keyFetches()).toBe(2);
    // Past the cooldown one more attempt is made.
    server.control.advanceClock(31);
    await expect(verifyIdToken(noRetry, foreign, { nonce })).rejects.toMatchObject({ status: 503 });
    expect(keyFetches()).toBe(3);
    expect(
      server.control
        .requests()
        .filter((r) => r.endpoint === 'keys')
        .map((r) => r.status),
    ).toEqual([200, 503, 503]);
  });

  describe('algorithm pinning (RS256 only)', () => {
    const issuer = 'https://issuer.test';
    const clientId = 'pinned-app';

    /** A keys endpoint (the injected fetch) publishing the given public keys. */
    function configWithKeys(keys: object[]) {
      return {
        clientId,
        baseUrl: issuer,
        fetch: async (input: Request | string | URL) => {
          const url = input instanceof Request ? input.url : String(input);
          if (!url.endsWith('/authentication/v2/keys')) return new Response('not found', { status: 404 });
          return Response.json({ keys });
        },
      };
    }

    function claims(nonce: string) {
      const now = Math.floor(Date.now() / 1000);
      return { iss: issuer, aud: clientId, sub: 'user', nonce, iat: now, exp: now + 600 };
    }

    it('rejects a token signed with a published ES256 key', async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      const jwk = { ...(await exportJWK(publicKey)), kid: 'ec-key', use: 'sig' };
      const config = configWithKeys([jwk]);
      const token = await new SignJWT(claims('n'))
        .setProtectedHeader({ alg: 'ES256', kid: 'ec-key' })
        .sign(privateKey);
      const error = await verifyIdToken(config, token, { nonce: 'n' }).catch((e: unknown) => e);
      expect(isIdTokenError(error)).toBe(true);
      expect(error).toMatchObject({ reason: 'signature' });
      // The same claims signed with RS256 by a published key pass: the rejection is the algorithm.
      const rsa = await generateKeyPair('RS256', { extractable: true });
      const rsaJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-key', alg: 'RS256' };
      const good = await new SignJWT(claims('n'))
        .setProtectedHeader({ alg: 'RS256', kid: 'rsa-key' })
        .sign(rsa.privateKey);
      clearKeySetCache();
      await expect(verifyIdToken(configWithKeys([jwk, rsaJwk]), good, { nonce: 'n' })).resolves.toMatchObject(
        {
          sub: 'user',
        },
      );
    });

    it('rejects alg none', async () => {
      const rsa = await generateKeyPair('RS256', { extractable: true });
      const config = configWithKeys([{ ...(await exportJWK(rsa.publicKey)), kid: 'rsa-key' }]);
      const b64 = (value: object) =>
        btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
      for (const kid of ['rsa-key', undefined]) {
        const unsigned = `${b64({ alg: 'none', typ: 'JWT', ...(kid ? { kid } : {}) })}.${b64(claims('n'))}.`;
        const error = await verifyIdToken(config, unsigned, { nonce: 'n' }).catch((e: unknown) => e);
        expect(isIdTokenError(error)).toBe(true);
      }
    });
  });

  describe('authorized party (azp) and issue time (iat)', () => {
    const issuer = 'https://issuer.test';
    const clientId = 'our-app';
    const now = Date.UTC(2026, 0, 15, 12, 0, 0);
    const nowSec = now / 1000;

    /** A test key pair, its JWKS served by the injected fetch, and a signer for any claims. */
    async function testIssuer() {
      const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
      const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
      const config = {
        clientId,
        baseUrl: issuer,
        now: () => now,
        fetch: async () => Response.json({ keys: [jwk] }),
      };
      const sign = (claims: Record<string, unknown>) =>
        new SignJWT({ iss: issuer, sub: 'user', nonce: 'n', iat: nowSec, exp: nowSec + 600, ...claims })
          .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
          .sign(privateKey);
      return { config, sign };
    }

    const rejection = async (config: object, token: string, options = {}) => {
      const error = await verifyIdToken(config as never, token, { nonce: 'n', ...options }).catch(
        (e: unknown) => e,
      );
      expect(isIdTokenError(error)).toBe(true);
      return error as Error & { code: string; reason: string };
    };

    it('several audiences with azp of another client, or with no azp, are refused', async () => {
      const { config, sign } = await testIssuer();
      const other = await rejection(config, await sign({ aud: ['other', clientId], azp: 'other' }));
      expect(other).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'authorized_party' });
      expect(other.message).toContain('issued to another client');
      const none = await rejection(config, await sign({ aud: ['other', clientId] }));
      expect(none).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'authorized_party' });
      expect(none.message).toContain('no authorized party (azp)');
      // A single audience with a foreign azp is refused too.
      await expect(rejection(config, await sign({ aud: clientId, azp: 'other' }))).resolves.toMatchObject({
        reason: 'authorized_party',
      });
      // Our own azp with several audiences, and a single audience without azp, pass.
      await expect(
        verifyIdToken(config, await sign({ aud: ['other', clientId], azp: clientId }), { nonce: 'n' }),
      ).resolves.toMatchObject({ azp: clientId });
      await expect(
        verifyIdToken(config, await sign({ aud: clientId }), { nonce: 'n' }),
      ).resolves.toBeDefined();
    });

    it('an iat in the future beyond the clock tolerance is refused; within it, accepted', async () => {
      const { config, sign } = await testIssuer();
      const dayAhead = await rejection(config, await sign({ aud: clientId, iat: nowSec + 86_400 }));
      expect(dayAhead).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'issued_in_future' });
      expect(dayAhead.message).toContain('check this machine');
      // The same skew as exp: 60 s by default, or the option.
      const ahead61 = await sign({ aud: clientId, iat: nowSec + 61 });
      await expect(rejection(config, ahead61)).resolves.toMatchObject({ reason: 'issued_in_future' });
      await expect(
        verifyIdToken(config, ahead61, { nonce: 'n', clockToleranceSec: 120 }),
      ).resolves.toBeDefined();
      await expect(
        verifyIdToken(config, await sign({ aud: clientId, iat: nowSec + 60 }), { nonce: 'n' }),
      ).resolves.toBeDefined();
      // With maxAgeSec jose checks iat too: the reason is the same.
      await expect(rejection(config, ahead61, { maxAgeSec: 3600 })).resolves.toMatchObject({
        reason: 'issued_in_future',
      });
    });
  });

  it.each([
    { clockToleranceSec: -1 },
    { clockToleranceSec: Number.NaN },
    { clockToleranceSec: '60' },
    { maxAgeSec: Number.POSITIVE_INFINITY },
  ])('rejects %j with a ConfigurationError', async (bad) => {
    const { config, idToken, nonce } = await signedIn();
    const error = await verifyIdToken(config, idToken, { nonce, ...(bad as object) }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'CONFIGURATION_ERROR', field: Object.keys(bad)[0] });
  });

  it('requires the nonce option', async () => {
    const { config, idToken } = await signedIn();
    await expect(verifyIdToken(config, idToken, {} as never)).rejects.toMatchObject({
      code: 'CONFIGURATION_ERROR',
    });
  });
});
