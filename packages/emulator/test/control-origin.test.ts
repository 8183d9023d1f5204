import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/index.js';
import { raw, start } from './helpers.js';

const EVIL = 'https://evil.example';

describe('control API: cross-site requests are refused', () => {
  it('a foreign Origin on /__emulator/reset is 403 and changes nothing', async () => {
    const s = await start();
    s.control.advanceClock(100);
    s.control.registerClient({ clientId: 'added', redirectUris: ['http://localhost/cb'] });
    const res = await fetch(`${s.url}/__emulator/reset`, { method: 'POST', headers: { origin: EVIL } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: 'access_denied',
      error_description: `The control API only accepts requests from its own origin (${s.url}), not from ${EVIL}`,
    });
    expect(s.control.clock().offsetSeconds).toBe(100);
    expect(s.control.listClients().map((c) => c.clientId)).toEqual(['web-app', 'desktop-app', 'added']);
  });

  it('a text/plain cross-site POST to /__emulator/clients registers nothing (403)', async () => {
    const s = await start();
    const res = await fetch(`${s.url}/__emulator/clients`, {
      method: 'POST',
      headers: { origin: EVIL, 'content-type': 'text/plain' },
      body: JSON.stringify({ clientId: 'evil', redirectUris: ['https://evil.example/cb'] }),
    });
    expect(res.status).toBe(403);
    expect(s.control.listClients().map((c) => c.clientId)).toEqual(['web-app', 'desktop-app']);
  });

  it('Origin "null" (sandboxed frame, file:) and GETs with a foreign Origin are refused too', async () => {
    const s = await start();
    expect((await fetch(`${s.url}/__emulator/requests`, { headers: { origin: 'null' } })).status).toBe(403);
    expect((await fetch(`${s.url}/__emulator/clients`, { headers: { origin: EVIL } })).status).toBe(403);
  });

  it('a DNS-rebinding page (Origin equal to its spoofed Host) is refused: the own origin is the bound URL', async () => {
    const s = await start();
    s.control.advanceClock(100);
    const res = await raw(`${s.url}/__emulator/reset`, 'POST', {
      host: `evil.example:${s.port}`,
      origin: `http://evil.example:${s.port}`,
    });
    // Refused by the Host check before the Origin check is reached.
    expect(res.status).toBe(421);
    expect(s.control.clock().offsetSeconds).toBe(100);
  });

  it('its own Origin, and no Origin at all (test code), are accepted', async () => {
    const s = await start();
    const own = await fetch(`${s.url}/__emulator/clients`, {
      method: 'POST',
      headers: { origin: s.url, 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: 'mine', redirectUris: ['http://localhost/cb'] }),
    });
    expect(own.status).toBe(201);
    expect((await fetch(`${s.url}/__emulator/reset`, { method: 'POST' })).status).toBe(204);
    expect((await fetch(`${s.url}/__emulator/requests`)).status).toBe(200);
  });

  it('a body must be application/json: text/plain POST to /__emulator/clients is 400 and registers nothing', async () => {
    const s = await start();
    const res = await fetch(`${s.url}/__emulator/clients`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ clientId: 'plain', redirectUris: ['http://localhost/cb'] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: "A control API body must be sent with 'content-type: application/json'",
    });
    expect(s.control.listClients().map((c) => c.clientId)).toEqual(['web-app', 'desktop-app']);
    for (const contentType of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const reset = await fetch(`${s.url}/__emulator/reset`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: 'a=b',
      });
      expect(reset.status, contentType).toBe(400);
    }
    const json = await fetch(`${s.url}/__emulator/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ clientId: 'json', redirectUris: ['http://localhost/cb'] }),
    });
    expect(json.status).toBe(201);
  });

  it('createEmulator alone (no bound URL): the own origin is the request origin', async () => {
    const emu = await createEmulator();
    const own = await emu.fetch(
      new Request('http://emu.test/__emulator/reset', {
        method: 'POST',
        headers: { origin: 'http://emu.test' },
      }),
    );
    expect(own.status).toBe(204);
    const foreign = await emu.fetch(
      new Request('http://emu.test/__emulator/reset', { method: 'POST', headers: { origin: EVIL } }),
    );
    expect(foreign.status).toBe(403);
  });
});

describe('issuer on the Node server', () => {
  it('is the bound URL whatever loopback name a request uses (tokens, discovery)', async () => {
    const s = await start({ autoApprove: true });
    const token = await raw(
      `${s.url}/authentication/v2/token`,
      'POST',
      {
        host: `localhost:${s.port}`,
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('web-app:web-secret').toString('base64')}`,
      },
      'grant_type=client_credentials&scope=data:read',
    );
    expect(token.status).toBe(200);
    const jwt = (JSON.parse(token.body) as { access_token: string }).access_token;
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      iss: string;
    };
    expect(claims.iss).toBe(s.url);
    const discovery = await raw(`${s.url}/.well-known/openid-configuration`, 'GET', {
      host: `localhost:${s.port}`,
    });
    expect(JSON.parse(discovery.body)).toMatchObject({
      issuer: s.url,
      token_endpoint: `${s.url}/authentication/v2/token`,
    });
  });

  it('the issuer option still wins', async () => {
    const s = await start({ issuer: 'https://auth.example' });
    const discovery = await raw(`${s.url}/.well-known/openid-configuration`, 'GET', {
      host: `localhost:${s.port}`,
    });
    expect(JSON.parse(discovery.body)).toMatchObject({ issuer: 'https://auth.example' });
  });

  it("createEmulator with a baseUrl string: that origin is the issuer and the control API's own origin", async () => {
    const emu = await createEmulator({ baseUrl: 'https://emu.example:8443/some/path' });
    const d = await emu.fetch(new Request('http://other.test/.well-known/openid-configuration'));
    expect(await d.json()).toMatchObject({
      issuer: 'https://emu.example:8443',
      jwks_uri: 'https://emu.example:8443/authentication/v2/keys',
    });
    const init = { method: 'POST', headers: { origin: 'https://emu.example:8443' } };
    expect((await emu.fetch(new Request('http://other.test/__emulator/reset', init))).status).toBe(204);
    const foreign = { method: 'POST', headers: { origin: 'http://other.test' } };
    expect((await emu.fetch(new Request('http://other.test/__emulator/reset', foreign))).status).toBe(403);
    await expect(createEmulator({ baseUrl: 'not a url' })).rejects.toThrow(/baseUrl must be an absolute URL/);
  });

  it('createEmulator alone still follows the request origin', async () => {
    const emu = await createEmulator();
    const res = await emu.fetch(new Request('http://emu.test/.well-known/openid-configuration'));
    expect(await res.json()).toMatchObject({ issuer: 'http://emu.test' });
  });
});
