import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StartEmulatorOptions } from '@aps-auth/emulator/node';
import { TestBrowser } from '@aps-auth/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { isAbortedError } from '../../src/index.js';
import { openProfile, type SessionWarning } from '../../src/node/index.js';
import { holdingFetch, SECRET, start } from '../helpers.js';
import { freePort, tempDir } from './helpers.js';

/** Opens the sign-in link and follows it to the loopback callback with its cookie (the emulator auto-approves). */
async function browse(url: string): Promise<void> {
  const page = await new TestBrowser().follow(url);
  if (page.status !== 200) throw new Error(`the sign-in ended on ${page.status}`);
}

/** An emulator, a home, a working directory and the environment of a user of the confidential app. */
async function world(options: StartEmulatorOptions = {}) {
  const callback = `http://localhost:${await freePort()}/api/auth/callback`;
  const server = await start({
    clients: [
      { clientId: 'web-app-id', clientSecret: SECRET, redirectUris: [callback] },
      { clientId: 'desktop-app-id', redirectUris: [callback] },
    ],
    ...options,
  });
  const home = await tempDir();
  const cwd = await tempDir();
  const env = {
    APS_AUTH_HOME: home,
    APS_CLIENT_ID: 'web-app-id',
    APS_CLIENT_SECRET: SECRET,
    APS_BASE_URL: server.url,
    APS_CALLBACK_URL: callback,
  };
  const warnings: SessionWarning[] = [];
  let clock = Date.now();
  const gate = holdingFetch();
  const open = (extra: Record<string, string | undefined> = {}, dir = cwd) =>
    openProfile({
      env: { ...env, ...extra },
      cwd: dir,
      now: () => clock,
      onWarning: (w) => warnings.push(w),
      fetch: gate.fetch,
    });
  return {
    server,
    home,
    cwd,
    env,
    warnings,
    open,
    /** Holds the answers to refreshes (see `holdingFetch`) once `gate.hold()` was called. */
    gate,
    advance: (seconds: number) => {
      clock += seconds * 1000;
      server.control.advanceClock(seconds);
    },
    tokenCalls: () => server.control.requests().filter((r) => r.endpoint === 'token'),
  };
}

describe('openProfile: sign in, status, token, sign out', () => {
  it('signIn stores the token and saves the profile; status is valid with numbers and the user', async () => {
    const w = await world();
    const session = await w.open();
    const events: string[] = [];
    const status = await session.signIn({ openUrl: browse, onEvent: (e) => events.push(e.type) });
    expect(events).toContain('stored');
    expect(status).toMatchObject({
      profile: 'default',
      state: 'valid',
      signedIn: true,
      refreshable: true,
      scopes: ['data:read', 'viewables:read'],
      clientId: 'web-app-id',
      baseUrl: w.server.url,
      problem: null,
    });
    expect(status.expiresIn).toBeGreaterThan(3000);
    // The refresh token's age, for a countdown to its 15 days (issued now: the clock is the session's).
    const stored = JSON.parse(await readFile(join(w.home, 'tokens', 'default.json'), 'utf8'));
    expect(status.refreshIssuedAt).toBe(stored.token.issuedAt);
    expect(status.refreshIssuedAt).toEqual(expect.any(Number));
    expect(status.user?.email).toEqual(expect.any(String));
    const profile = JSON.parse(await readFile(join(w.home, 'profiles', 'default.json'), 'utf8'));
    expect(profile).toMatchObject({ clientId: 'web-app-id', baseUrl: w.server.url });
    expect(profile.baseUrlFrom).toBeUndefined();
  });

  it('getToken: the stored token while valid (no request), a refresh once expiring', async () => {
    const w = await world();
    const session = await w.open();
    await session.signIn({ openUrl: browse, userInfo: false });
    const first = await session.getToken();
    expect(w.tokenCalls().filter((r) => r.grantType === 'refresh_token')).toHaveLength(0);
    w.advance(3600);
    expect((await session.status()).state).toBe('expiring');
    const second = await session.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(w.tokenCalls().filter((r) => r.grantType === 'refresh_token')).toHaveLength(1);
    // Scopes split on white space and commas (one rule): a down-scoped token.
    const narrow = await session.getToken({ scopes: 'data:read,' });
    expect(narrow.scopes).toEqual(['data:read']);
  });

  it('a rejected refresh token is recorded: status says refresh-rejected, getToken never sends it again', async () => {
    const w = await world();
    const session = await w.open();
    await session.signIn({ openUrl: browse, userInfo: false });
    w.advance(3600);
    w.server.control.addFault({
      endpoint: 'token',
      status: 400,
      body: JSON.stringify({ error: 'invalid_grant', error_description: 'The refresh token is invalid' }),
      contentType: 'application/json',
    });
    await expect(session.getToken()).rejects.toMatchObject({
      code: 'SIGN_IN_REQUIRED',
      reason: 'refresh_rejected',
    });
    const file = JSON.parse(await readFile(join(w.home, 'tokens', 'default.json'), 'utf8'));
    expect(file.refreshRejectedAt).toEqual(expect.any(String));
    const status = await (await w.open()).status();
    expect(status).toMatchObject({
      state: 'refresh-rejected',
      signedIn: false,
      refreshable: false,
      problem: { code: 'SIGN_IN_REQUIRED' },
    });
    expect(status.refreshRejectedAt).toEqual(Date.parse(file.refreshRejectedAt));
    const before = w.tokenCalls().length;
    await expect((await w.open()).getToken()).rejects.toMatchObject({ reason: 'refresh_rejected' });
    expect(w.tokenCalls()).toHaveLength(before);
    // A new sign-in clears it.
    const again = await (await w.open()).signIn({ openUrl: browse, userInfo: false });
    expect(again.state).toBe('valid');
  });

  it('a token of another client id or server: other-client, TOKEN_OTHER_CLIENT, left in place by signOut', async () => {
    const w = await world();
    await (await w.open()).signIn({ openUrl: browse, userInfo: false });
    const other = await w.open({ APS_CLIENT_ID: 'desktop-app-id', APS_CLIENT_SECRET: undefined });
    const status = await other.status();
    expect(status).toMatchObject({
      state: 'other-client',
      signedIn: false,
      storedFor: { clientId: 'web-app-id', baseUrl: w.server.url },
      problem: { code: 'TOKEN_OTHER_CLIENT' },
    });
    await expect(other.getToken()).rejects.toMatchObject({
      code: 'TOKEN_OTHER_CLIENT',
      storedClientId: 'web-app-id',
      clientId: 'desktop-app-id',
    });
    expect(await other.signOut()).toMatchObject({ outcome: 'left-in-place', revoked: null });
    expect((await (await w.open()).status()).state).toBe('valid');
  });

  it('a corrupt token file: status corrupt (a document), getToken TOKEN_STORE_CORRUPT, signOut moves it aside', async () => {
    const w = await world();
    const session = await w.open();
    await session.signIn({ openUrl: browse, userInfo: false });
    await writeFile(join(w.home, 'tokens', 'default.json'), '{ not json');
    expect(await session.status()).toMatchObject({
      state: 'corrupt',
      problem: { code: 'TOKEN_STORE_CORRUPT' },
    });
    await expect(session.getToken()).rejects.toMatchObject({ code: 'TOKEN_STORE_CORRUPT' });
    const report = await session.signOut();
    expect(report.outcome).toBe('moved-aside');
    expect(report.movedAsideTo).toContain('default.json.corrupt-');
    expect((await session.status()).state).toBe('signed-out');
  });

  it('signOut revokes both tokens and forgets; then nothing to do', async () => {
    const w = await world();
    const session = await w.open();
    await session.signIn({ openUrl: browse, userInfo: false });
    expect(await session.signOut()).toEqual({
      outcome: 'signed-out',
      revoked: true,
      revocationFailures: [],
      movedAsideTo: null,
      tokenPath: join(w.home, 'tokens', 'default.json'),
      storedFor: null,
    });
    expect(w.server.control.requests().filter((r) => r.endpoint === 'revoke')).toHaveLength(2);
    expect((await session.signOut()).outcome).toBe('nothing-to-do');
    await expect(session.getToken()).rejects.toMatchObject({ code: 'SIGN_IN_REQUIRED', reason: 'no_token' });
  });

  it('signOut reports a failed revocation by code and still forgets the token', async () => {
    const w = await world();
    const session = await w.open();
    await session.signIn({ openUrl: browse, userInfo: false });
    w.server.control.addFault({ endpoint: 'revoke', status: 503, body: 'down', times: 2 });
    const report = await session.signOut();
    expect(report).toMatchObject({ outcome: 'signed-out', revoked: false });
    expect(report.revocationFailures.map((f) => f.tokenTypeHint)).toEqual(['refresh_token', 'access_token']);
    expect((await session.status()).state).toBe('signed-out');
  });

  it('getToken: a cancel while the refresh is in flight waits for it to be saved, then rejects', async () => {
    const w = await world();
    const session = await w.open();
    await session.signIn({ openUrl: browse, userInfo: false });
    const before = JSON.parse(await readFile(join(w.home, 'tokens', 'default.json'), 'utf8'));
    w.advance(3600);
    w.gate.hold();
    const controller = new AbortController();
    let told = 0;
    const pending = session.getToken({ signal: controller.signal, onCancelWait: () => told++ });
    // Cancel once the server has answered the refresh and before core has read the answer.
    await vi.waitFor(() => expect(w.gate.held()).toBe(1));
    let settled = false;
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    controller.abort();
    await vi.waitFor(() => expect(told).toBe(1));
    // Told to wait, and waiting: the refresh's answer is still held.
    expect(settled).toBe(false);
    w.gate.release();
    const error = await pending.catch((e: unknown) => e);
    expect(isAbortedError(error)).toBe(true);
    const after = JSON.parse(await readFile(join(w.home, 'tokens', 'default.json'), 'utf8'));
    expect(after.token.refreshToken).not.toBe(before.token.refreshToken);
    expect(w.tokenCalls().at(-1)).toMatchObject({ grantType: 'refresh_token', status: 200 });
  });

  it('getTwoLeggedToken: the configured confidential app; refused with a typed error without a secret', async () => {
    const w = await world();
    const token = await (await w.open()).getTwoLeggedToken({ scopes: 'data:read,data:write' });
    expect(token.scopes).toEqual(['data:read', 'data:write']);
    await expect(
      (await w.open({ APS_CLIENT_SECRET: undefined })).getTwoLeggedToken({ scopes: 'data:read' }),
    ).rejects.toMatchObject({ code: 'CONFIGURATION_ERROR', field: 'clientSecret', problem: 'missing' });
  });
});

describe('openProfile: the .env rules, enforced inside', () => {
  it('a .env server never receives the secret of the environment (withheld, warned, no Basic header)', async () => {
    const w = await world();
    const evil = await start({
      clients: [{ clientId: 'web-app-id', redirectUris: [w.env.APS_CALLBACK_URL] }],
    });
    const repo = await tempDir();
    await writeFile(join(repo, '.env'), `APS_BASE_URL=${evil.url}\n`);
    const env = { ...w.env, APS_BASE_URL: undefined };
    const session = await openProfile({ env, cwd: repo, onWarning: (x) => w.warnings.push(x) });
    expect(session.config.clientSecret).toBeUndefined();
    await session.signIn({ openUrl: browse, userInfo: false });
    expect(w.warnings.map((x) => x.code)).toContain('SECRET_WITHHELD');
    const calls = evil.control.requests().filter((r) => r.endpoint === 'token');
    expect(calls).toHaveLength(1);
    // No Basic header, no client_secret in the body: the client id alone, as a public client.
    expect(calls[0]!.clientAuth).toBe('none');
    // The profile remembers that its server came from a .env.
    const profile = JSON.parse(await readFile(join(w.home, 'profiles', 'default.json'), 'utf8'));
    expect(profile).toMatchObject({ baseUrl: evil.url, baseUrlFrom: 'dotenv' });
    expect(profile.clientSecret).toBeUndefined();
    // Later, anywhere, with the secret in the environment: still not sent to that server.
    const later = await openProfile({ env: { ...env }, cwd: await tempDir() });
    expect(later.config.baseUrl).toBe(evil.url);
    expect(later.config.clientSecret).toBeUndefined();
  });

  it('APS_AUTH_HOME in a .env is ignored with a warning naming the file', async () => {
    const w = await world();
    const repo = await tempDir();
    await writeFile(join(repo, '.env'), `APS_AUTH_HOME=${join(repo, '.aps')}\n`);
    const session = await openProfile({
      env: w.env,
      cwd: repo,
      onWarning: (x) => w.warnings.push(x),
    });
    expect(session.config.home).toBe(w.home);
    expect(w.warnings).toEqual([
      { code: 'DOTENV_HOME_IGNORED', message: expect.stringContaining(join(repo, '.env')) },
    ]);
  });
});
