import { describe, expect, it } from 'vitest';
import { authorizeUrl, basic, CALLBACK, get, loginConfidential, postForm, start } from './helpers.js';

function json(url: string, method: string, body?: unknown): Promise<Response> {
  return fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('control API under /__emulator/', () => {
  it('GET/DELETE requests: the log with derived fields only, never bodies or secrets', async () => {
    const s = await start();
    await loginConfidential(s);
    await postForm(`${s.url}/authentication/v2/token`, {
      grant_type: 'client_credentials',
      scope: 'data:read',
      client_id: 'web-app',
      client_secret: 'web-secret',
    });
    const res = await fetch(`${s.url}/__emulator/requests`);
    expect(res.status).toBe(200);
    const { requests } = (await res.json()) as { requests: Array<Record<string, unknown>> };
    expect(requests.map((r) => [r.endpoint, r.method, r.status, r.grantType, r.clientAuth])).toEqual([
      ['authorize', 'GET', 200, undefined, undefined],
      ['consent', 'POST', 302, undefined, undefined],
      ['token', 'POST', 200, 'authorization_code', 'basic'],
      ['token', 'POST', 200, 'client_credentials', 'body'],
    ]);
    expect(requests[0]).toMatchObject({ id: 1, path: '/authentication/v2/authorize', clientId: 'web-app' });
    expect(new Date(String(requests[0]?.time)).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const text = JSON.stringify(requests);
    expect(text).not.toContain('web-secret');
    expect(text).not.toContain('n0nce');
    // The control API does not log itself.
    expect(s.control.requests()).toHaveLength(4);
    expect((await json(`${s.url}/__emulator/requests`, 'DELETE')).status).toBe(204);
    expect(await (await fetch(`${s.url}/__emulator/requests`)).json()).toEqual({ requests: [] });
  });

  it('logs unknown paths as endpoint "other"', async () => {
    const s = await start();
    expect((await get(`${s.url}/authentication/v1/authenticate`)).status).toBe(404);
    expect(s.control.requests()).toEqual([
      expect.objectContaining({ endpoint: 'other', status: 404, path: '/authentication/v1/authenticate' }),
    ]);
  });

  it('times log entries on the emulator clock', async () => {
    const s = await start();
    s.control.advanceClock(3600);
    await get(`${s.url}/authentication/v2/keys`);
    const [entry] = s.control.requests();
    expect(Math.abs(new Date(entry?.time ?? 0).getTime() - s.control.now())).toBeLessThan(2000);
  });

  it('clients: list without secrets, register (201), remove (204), validation (400)', async () => {
    const s = await start();
    const list = (await (await fetch(`${s.url}/__emulator/clients`)).json()) as { clients: unknown[] };
    expect(list.clients).toHaveLength(2);
    expect(JSON.stringify(list)).not.toContain('web-secret');
    expect(list.clients[0]).toEqual({
      clientId: 'web-app',
      name: 'Test Web App',
      type: 'confidential',
      redirectUris: [CALLBACK, 'http://localhost:8080/other/'],
      postLogoutRedirectUris: ['http://localhost:8080/bye'],
      grants: ['authorization_code', 'refresh_token', 'client_credentials'],
    });
    expect(list.clients[1]).toMatchObject({
      clientId: 'desktop-app',
      type: 'public',
      grants: ['authorization_code', 'refresh_token'],
    });

    const created = await json(`${s.url}/__emulator/clients`, 'POST', {
      clientId: 'new-app',
      clientSecret: 'new-secret',
      redirectUris: ['http://localhost:5000/cb'],
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ clientId: 'new-app', type: 'confidential' });
    const token = await postForm(
      `${s.url}/authentication/v2/token`,
      { grant_type: 'client_credentials', scope: 'data:read' },
      { authorization: basic('new-app', 'new-secret') },
    );
    expect(token.status).toBe(200);

    expect((await json(`${s.url}/__emulator/clients/new-app`, 'DELETE')).status).toBe(204);
    expect((await json(`${s.url}/__emulator/clients/new-app`, 'DELETE')).status).toBe(404);
    const gone = await postForm(
      `${s.url}/authentication/v2/token`,
      { grant_type: 'client_credentials', scope: 'data:read' },
      { authorization: basic('new-app', 'new-secret') },
    );
    expect(gone.status).toBe(401);

    for (const bad of [
      { clientId: '', redirectUris: [] },
      { clientId: 'x', redirectUris: ['not a url'] },
      { clientId: 'x', redirectUris: [], grants: ['password'] },
      { clientId: 'x', redirectUris: [], grants: ['client_credentials'] },
      'nope',
    ]) {
      const res = await json(`${s.url}/__emulator/clients`, 'POST', bad);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: 'invalid_request',
        error_description: expect.any(String),
      });
    }
    const notJson = await fetch(`${s.url}/__emulator/clients`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('clients: only http: and https: callback URLs without a fragment (a javascript: one would run on the form_post page)', async () => {
    const s = await start();
    for (const [field, uri, problem] of [
      ['redirectUris', 'javascript:alert(1)', 'must use http: or https:'],
      ['redirectUris', 'http://localhost/cb#f', 'must not have a fragment (#)'],
      ['redirectUris', 'http://localhost/cb#', 'must not have a fragment (#)'],
      ['redirectUris', 'data:text/html,<script>alert(1)</script>', 'must use http: or https:'],
      ['redirectUris', 'myapp://callback', 'must use http: or https:'],
      ['postLogoutRedirectUris', 'javascript:alert(1)', 'must use http: or https:'],
    ] as const) {
      const res = await json(`${s.url}/__emulator/clients`, 'POST', {
        clientId: 'x',
        redirectUris: field === 'redirectUris' ? [uri] : ['http://localhost/cb'],
        ...(field === 'postLogoutRedirectUris' ? { postLogoutRedirectUris: [uri] } : {}),
      });
      expect(res.status, uri).toBe(400);
      expect(await res.json()).toEqual({
        error: 'invalid_request',
        error_description: `${field} must be absolute http: or https: URLs without a fragment: ${JSON.stringify(uri)} ${problem}`,
      });
    }
    expect(() => s.control.registerClient({ clientId: 'x', redirectUris: ['javascript:alert(1)'] })).toThrow(
      /must use http: or https:/,
    );
    expect(s.control.listClients().map((c) => c.clientId)).toEqual(['web-app', 'desktop-app']);
    const ok = await json(`${s.url}/__emulator/clients`, 'POST', {
      clientId: 'ok',
      redirectUris: ['https://app.example/cb?x=1', 'http://127.0.0.1:5000/'],
    });
    expect(ok.status).toBe(201);
  });

  it('faults: POST (201) and DELETE (204), invalid ones 400', async () => {
    const s = await start();
    expect(
      (await json(`${s.url}/__emulator/faults`, 'POST', { endpoint: 'keys', status: 503, times: 1 })).status,
    ).toBe(201);
    expect((await get(`${s.url}/authentication/v2/keys`)).status).toBe(503);
    expect((await get(`${s.url}/authentication/v2/keys`)).status).toBe(200);
    await json(`${s.url}/__emulator/faults`, 'POST', { endpoint: 'keys', status: 503, times: 3 });
    expect((await json(`${s.url}/__emulator/faults`, 'DELETE')).status).toBe(204);
    expect((await get(`${s.url}/authentication/v2/keys`)).status).toBe(200);
    const bad = await json(`${s.url}/__emulator/faults`, 'POST', { endpoint: 'keys' });
    expect(bad.status).toBe(400);
  });

  it('clock: GET and POST {advanceSeconds} move emulator time; codes expire without sleeping', async () => {
    const s = await start({ autoApprove: true });
    const before = (await (await fetch(`${s.url}/__emulator/clock`)).json()) as {
      now: string;
      offsetSeconds: number;
    };
    expect(before.offsetSeconds).toBe(0);
    expect(Math.abs(new Date(before.now).getTime() - Date.now())).toBeLessThan(5000);
    const code = new URL(
      (
        await get(
          authorizeUrl(s.url, {
            client_id: 'web-app',
            response_type: 'code',
            redirect_uri: CALLBACK,
            scope: 'a',
          }),
        )
      ).headers.get('location') ?? '',
    ).searchParams.get('code');
    const moved = await json(`${s.url}/__emulator/clock`, 'POST', { advanceSeconds: 301 });
    expect(moved.status).toBe(200);
    const after = (await moved.json()) as { now: string; offsetSeconds: number };
    expect(after.offsetSeconds).toBe(301);
    expect(new Date(after.now).getTime() - new Date(before.now).getTime()).toBeGreaterThanOrEqual(301_000);
    const res = await postForm(
      `${s.url}/authentication/v2/token`,
      { grant_type: 'authorization_code', code: code ?? '', redirect_uri: CALLBACK },
      { authorization: basic('web-app', 'web-secret') },
    );
    expect(res.status).toBe(400);
    expect((await json(`${s.url}/__emulator/clock`, 'POST', { advanceSeconds: 'x' })).status).toBe(400);
  });

  it('settings: autoApprove and accessTokenLifetime (204), validated (400)', async () => {
    const s = await start();
    const url = authorizeUrl(s.url, {
      client_id: 'web-app',
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'a',
    });
    expect((await get(url)).status).toBe(200);
    expect(
      (await json(`${s.url}/__emulator/settings`, 'POST', { autoApprove: true, accessTokenLifetime: 60 }))
        .status,
    ).toBe(204);
    expect((await get(url)).status).toBe(302);
    const t = await postForm(
      `${s.url}/authentication/v2/token`,
      { grant_type: 'client_credentials', scope: 'a' },
      { authorization: basic('web-app', 'web-secret') },
    );
    expect(((await t.json()) as { expires_in: number }).expires_in).toBe(59);
    for (const bad of [
      { autoApprove: 'yes' },
      { accessTokenLifetime: 1.5 },
      { accessTokenLifetime: 1 },
      null,
    ]) {
      expect((await json(`${s.url}/__emulator/settings`, 'POST', bad)).status).toBe(400);
    }
  });

  it('reset: option clients and settings stay; codes, tokens, log, faults, clock offset and added clients go', async () => {
    const s = await start();
    const t = await loginConfidential(s);
    s.control.registerClient({ clientId: 'temp', redirectUris: [] });
    s.control.addFault({ endpoint: 'keys', status: 500 });
    s.control.advanceClock(100);
    s.control.setAutoApprove(true);
    expect((await json(`${s.url}/__emulator/reset`, 'POST')).status).toBe(204);
    expect(s.control.requests()).toEqual([]);
    expect(s.control.listClients().map((c) => c.clientId)).toEqual(['web-app', 'desktop-app']);
    expect(s.control.clock().offsetSeconds).toBe(0);
    expect((await get(`${s.url}/authentication/v2/keys`)).status).toBe(200);
    const r = await postForm(
      `${s.url}/authentication/v2/token`,
      { grant_type: 'refresh_token', refresh_token: t.refresh_token ?? '' },
      { authorization: basic('web-app', 'web-secret') },
    );
    expect(r.status).toBe(400);
    const url = authorizeUrl(s.url, {
      client_id: 'web-app',
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'a',
    });
    expect((await get(url)).status).toBe(200);
  });

  it('unknown control paths are 404', async () => {
    const s = await start();
    expect((await get(`${s.url}/__emulator/nope`)).status).toBe(404);
  });

  it('control: false switches the control API off', async () => {
    const s = await start({ control: false });
    for (const path of ['requests', 'clients', 'clock']) {
      expect((await get(`${s.url}/__emulator/${path}`)).status).toBe(404);
    }
    expect((await json(`${s.url}/__emulator/reset`, 'POST')).status).toBe(404);
    expect((await get(`${s.url}/authentication/v2/keys`)).status).toBe(200);
  });
});
