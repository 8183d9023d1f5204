import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoreSession } from '../src/core-adapter.js';
import type { SetupInput, SignInEvent } from '../src/session.js';
import { CLIENT_ID, createWorld, SECRET, type World } from './helpers.js';

const worlds: World[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((world) => world.close()));
});

async function world(): Promise<World> {
  const made = await createWorld();
  worlds.push(made);
  return made;
}

const inputOf = (w: World, extra: Partial<SetupInput> = {}): SetupInput => ({
  clientId: CLIENT_ID,
  callbackUrl: w.callbackUrl,
  scopes: ['data:read', 'viewables:read'],
  ...extra,
});

async function signIn(
  session: ReturnType<typeof createCoreSession>,
  input: SetupInput,
): Promise<SignInEvent[]> {
  const events: SignInEvent[] = [];
  await session.signIn({
    setup: input,
    openBrowser: true,
    timeoutMs: 20_000,
    signal: new AbortController().signal,
    onEvent: (event) => events.push(event),
  });
  return events;
}

describe('the core adapter (the session the screens use) against the emulator', () => {
  it('loads the set-up with the source of each value, never the secret itself', async () => {
    const w = await world();
    await writeFile(join(w.cwd, '.env'), 'APS_SCOPES=data:read data:write\n');
    const { APS_CLIENT_SECRET: _secret, ...env } = w.env;
    const setup = await createCoreSession({ env, cwd: w.cwd }).loadSetup();
    expect(setup).toMatchObject({
      profile: 'default',
      clientId: { value: CLIENT_ID, source: 'env' },
      clientSecret: { present: false, source: 'default' },
      scopes: { value: ['data:read', 'data:write'], source: 'dotenv' },
      dotenvPath: join(w.cwd, '.env'),
    });
    expect(JSON.stringify(await createCoreSession({ env: w.env, cwd: w.cwd }).loadSetup())).not.toContain(
      SECRET,
    );
  });

  it('signs in (events in order), saves the profile, and reports a valid status with the user', async () => {
    const w = await world();
    const session = createCoreSession({ env: w.env, cwd: w.cwd });
    await session.loadSetup();
    const events = await signIn(session, inputOf(w));
    const types = events.map((event) => event.type);
    expect(types.indexOf('authorize-url')).toBeLessThan(types.indexOf('waiting'));
    expect(types.at(-1)).toBe('stored');
    expect(await session.status()).toMatchObject({
      state: 'valid',
      user: { name: 'Ada Lovelace', email: 'ada.lovelace@example.com' },
      scopes: ['data:read', 'viewables:read'],
    });
    // A new session (as the next run) finds the saved profile.
    const { APS_CLIENT_ID: _id, APS_CLIENT_SECRET: _s, ...bare } = w.env;
    const next = await createCoreSession({ env: bare, cwd: w.cwd }).loadSetup();
    expect(next.clientId).toEqual({ value: CLIENT_ID, source: 'profile' });
    expect(next.clientSecret).toEqual({ present: true, source: 'profile' });
  });

  it('a secret typed on the set-up is used (a confidential client needs it)', async () => {
    const w = await world();
    const { APS_CLIENT_SECRET: _secret, ...env } = w.env;
    const session = createCoreSession({ env, cwd: w.cwd });
    await session.loadSetup();
    await signIn(session, inputOf(w, { clientSecret: SECRET }));
    expect((await session.status()).state).toBe('valid');
    const exchange = w.emulator.control.requests().find((entry) => entry.grantType === 'authorization_code');
    expect(exchange).toMatchObject({ status: 200, clientAuth: 'basic' });
  });

  it('refreshes, down-scopes to viewables:read, and signs out (revoked)', async () => {
    const w = await world();
    const session = createCoreSession({ env: w.env, cwd: w.cwd });
    await session.loadSetup();
    await signIn(session, inputOf(w));
    await session.refresh();
    const viewer = await session.downscopedToken(['viewables:read']);
    expect(viewer.scopes).toEqual(['viewables:read']);
    expect(await session.signOut()).toEqual({ wasSignedIn: true, revocationFailures: [] });
    expect(await session.status()).toEqual({ state: 'signed-out' });
    const grants = w.emulator.control
      .requests()
      .filter((entry) => entry.endpoint === 'token')
      .map((entry) => entry.grantType);
    expect(grants).toEqual(['authorization_code', 'refresh_token', 'refresh_token']);
    expect(w.emulator.control.requests().some((entry) => entry.endpoint === 'revoke')).toBe(true);
  });

  it('names a token of another client id, and a corrupt token file', async () => {
    const w = await world();
    const first = createCoreSession({ env: w.env, cwd: w.cwd });
    await first.loadSetup();
    await signIn(first, inputOf(w));
    const other = createCoreSession({ env: { ...w.env, APS_CLIENT_ID: 'someone-else' }, cwd: w.cwd });
    await other.loadSetup();
    expect(await other.status()).toEqual({
      state: 'other-client',
      message: `The token stored for profile "default" is for another client id ${CLIENT_ID}: it is not used.`,
    });
    await mkdir(join(w.home, 'tokens'), { recursive: true });
    await writeFile(join(w.home, 'tokens', 'default.json'), '{ not json');
    const corrupt = await first.status();
    expect(corrupt.state).toBe('corrupt');
  });

  it("refuses a .env that would re-point the saved profile, with core's typed error", async () => {
    const w = await world();
    const session = createCoreSession({ env: w.env, cwd: w.cwd });
    await session.loadSetup();
    await signIn(session, inputOf(w));
    const { APS_CLIENT_ID: _id, ...env } = w.env;
    await writeFile(join(w.cwd, '.env'), 'APS_CLIENT_ID=dotenv-client\n');
    const next = createCoreSession({ env, cwd: w.cwd });
    const setup = await next.loadSetup();
    const attempt = signIn(next, inputOf(w, { clientId: setup.clientId.value }));
    await expect(attempt).rejects.toMatchObject({ code: 'CONFIGURATION_ERROR' });
  });

  it("validates each field with core's validators and codes", () => {
    const session = createCoreSession({ env: {}, cwd: '/' });
    const problems = session.validate({ clientId: ' ', callbackUrl: 'not a url', scopes: [] });
    expect(problems.clientId).toMatchObject({ code: 'CONFIGURATION_ERROR', severity: 'error' });
    expect(problems.callbackUrl).toMatchObject({ code: 'CONFIGURATION_ERROR', severity: 'error' });
    expect(problems.scopes?.message).toContain('At least one scope is required');
    const remote = session.validate({
      clientId: 'a',
      callbackUrl: 'https://app.example.com/cb',
      scopes: ['data:read'],
    });
    expect(remote).toEqual({
      callbackUrl: expect.objectContaining({ code: 'CALLBACK_URL_UNSUPPORTED', severity: 'note' }),
    });
    expect(session.checkProfileName('work')).toBeUndefined();
    expect(session.checkProfileName('../x')).toMatchObject({ code: 'CONFIGURATION_ERROR' });
  });
});
