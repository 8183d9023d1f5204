import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/index.js';
import { raw, start } from './helpers.js';

const EVIL = 'evil.example';

function misdirected(host: string, own: string) {
  return {
    error: 'invalid_request',
    error_description: `The Host header "${host}" does not name this emulator (${own}): send requests to its own URL`,
  };
}

describe('Host check on 127.0.0.1 (DNS rebinding)', () => {
  it("the control API's GETs refuse a foreign Host with 421 and reveal nothing", async () => {
    const s = await start();
    for (const path of ['/__emulator/clients', '/__emulator/requests', '/__emulator/clock']) {
      const res = await raw(`${s.url}${path}`, 'GET', { host: `${EVIL}:${s.port}` });
      expect(res.status, path).toBe(421);
      expect(JSON.parse(res.body), path).toEqual(misdirected(`${EVIL}:${s.port}`, s.url));
      expect(res.body).not.toContain('web-app');
    }
  });

  it('the protocol endpoints refuse a foreign Host too, and such requests are not logged', async () => {
    const s = await start();
    const discovery = await raw(`${s.url}/.well-known/openid-configuration`, 'GET', { host: EVIL });
    expect(discovery.status).toBe(421);
    const token = await raw(`${s.url}/authentication/v2/token`, 'POST', {
      host: `${EVIL}:${s.port}`,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(token.status).toBe(421);
    expect(s.control.requests()).toEqual([]);
  });

  it('its own host:port and the other loopback names on the same port are answered; another port is not', async () => {
    const s = await start();
    for (const host of [
      `127.0.0.1:${s.port}`,
      `localhost:${s.port}`,
      `LOCALHOST:${s.port}`,
      `[::1]:${s.port}`,
    ]) {
      const res = await raw(`${s.url}/__emulator/clients`, 'GET', { host });
      expect(res.status, host).toBe(200);
    }
    for (const host of [`127.0.0.1:${s.port + 1}`, '127.0.0.1', `localhost.${EVIL}:${s.port}`]) {
      const res = await raw(`${s.url}/__emulator/clients`, 'GET', { host });
      expect(res.status, host).toBe(421);
    }
  });
});

describe('Host check on a wildcard address (0.0.0.0)', () => {
  it('a DNS-rebinding POST to the control API is refused and changes nothing', async () => {
    const s = await start({ host: '0.0.0.0' });
    s.control.advanceClock(100);
    const url = `http://127.0.0.1:${s.port}`;
    const res = await raw(`${url}/__emulator/reset`, 'POST', {
      host: `${EVIL}:${s.port}`,
      origin: `http://${EVIL}:${s.port}`,
    });
    expect(res.status).toBe(421);
    expect(JSON.parse(res.body)).toEqual(
      misdirected(`${EVIL}:${s.port}`, 'an IP address, localhost or an allowed host name'),
    );
    expect(s.control.clock().offsetSeconds).toBe(100);
  });

  it("discovery's issuer never follows an attacker's Host; an IP address or localhost is the own origin", async () => {
    const s = await start({ host: '0.0.0.0' });
    const url = `http://127.0.0.1:${s.port}`;
    const evil = await raw(`${url}/.well-known/openid-configuration`, 'GET', { host: `${EVIL}:${s.port}` });
    expect(evil.status).toBe(421);
    expect(evil.body).not.toContain('"issuer"');
    for (const host of [`127.0.0.1:${s.port}`, `localhost:${s.port}`, `192.0.2.7:${s.port}`]) {
      const res = await raw(`${url}/.well-known/openid-configuration`, 'GET', { host });
      expect(res.status, host).toBe(200);
      expect(JSON.parse(res.body), host).toMatchObject({ issuer: `http://${host}` });
    }
    // A name made of digits and dots is still a name, not an address.
    const spoofed = await raw(`${url}/.well-known/openid-configuration`, 'GET', { host: `1.2.3.4.${EVIL}` });
    expect(spoofed.status).toBe(421);
  });

  it('allowedHosts adds names (a container service name, say)', async () => {
    const s = await start({ host: '0.0.0.0', allowedHosts: ['emulator'] });
    const url = `http://127.0.0.1:${s.port}`;
    const res = await raw(`${url}/.well-known/openid-configuration`, 'GET', { host: 'emulator:9400' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ issuer: 'http://emulator:9400' });
    expect((await raw(`${url}/__emulator/clock`, 'GET', { host: `${EVIL}:${s.port}` })).status).toBe(421);
  });
});

describe('Host check in process (createEmulator)', () => {
  it('with a baseUrl, a Host header naming anything else is refused; a Request without Host is not checked', async () => {
    const emu = await createEmulator({ baseUrl: 'https://emu.example:8443' });
    const url = 'https://emu.example:8443/.well-known/openid-configuration';
    // A Request built in process has no Host header (fetch adds it on the wire).
    expect((await emu.fetch(new Request(url))).status).toBe(200);
    const viaHost = (host: string) => emu.app.request(url, { headers: { host } });
    expect((await viaHost('emu.example:8443')).status).toBe(200);
    expect((await viaHost(`${EVIL}:8443`)).status).toBe(421);
    expect((await viaHost('emu.example:443')).status).toBe(421);
    expect((await viaHost('emu.example:8443/path')).status).toBe(421);
    expect((await viaHost('user@emu.example:8443')).status).toBe(421);
  });

  it('without a baseUrl or allowedHosts, every Host is answered (the request origin is the own origin)', async () => {
    const emu = await createEmulator();
    const res = await emu.app.request('http://emu.test/.well-known/openid-configuration', {
      headers: { host: 'emu.test' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ issuer: 'http://emu.test' });
  });

  it('refuses an invalid allowedHosts list', async () => {
    await expect(createEmulator({ allowedHosts: [''] })).rejects.toThrow(/allowedHosts/);
  });
});
