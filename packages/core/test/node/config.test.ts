import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { APS_BASE_URL, isConfigurationError } from '../../src/index.js';
import {
  DEFAULT_CALLBACK_URL,
  defaultHome,
  hasCredentials,
  loadConfig,
  saveProfile,
  toCoreConfig,
} from '../../src/node/index.js';
import { refuseDotenvProfileChange } from '../../src/node/load-config.js';
import { tempDir } from './helpers.js';

const FIELDS = {
  clientId: 'APS_CLIENT_ID',
  clientSecret: 'APS_CLIENT_SECRET',
  callbackUrl: 'APS_CALLBACK_URL',
  scopes: 'APS_SCOPES',
  baseUrl: 'APS_BASE_URL',
} as const;

/** A working directory with a `.env`, and a home with a saved profile, each giving every field a distinct value. */
async function layers() {
  const cwd = await tempDir();
  const home = await tempDir();
  const value = (field: string, source: string) =>
    field === 'callbackUrl'
      ? `http://localhost:${{ flag: 1111, env: 2222, dotenv: 3333, profile: 4444 }[source]}/cb`
      : field === 'baseUrl'
        ? `http://${source}.example`
        : field === 'scopes'
          ? `${source}:read`
          : `${source}-${field}`;
  await saveProfile(home, 'default', {
    clientId: value('clientId', 'profile'),
    clientSecret: value('clientSecret', 'profile'),
    callbackUrl: value('callbackUrl', 'profile'),
    scopes: [value('scopes', 'profile')],
    baseUrl: value('baseUrl', 'profile'),
  });
  const dotenv = Object.entries(FIELDS)
    .map(([field, variable]) => `${variable}="${value(field, 'dotenv')}"`)
    .join('\n');
  await writeFile(join(cwd, '.env'), `# comment\n${dotenv}\nAPS_AUTH_HOME=${home}\n`);
  return { cwd, home, value };
}

describe('loadConfig', () => {
  it('an invalid profile name from APS_AUTH_PROFILE says where it came from (environment or .env)', async () => {
    const cwd = await tempDir();
    const home = await tempDir();
    const suffix =
      'Invalid profile name "../x": use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit.';
    await expect(
      loadConfig({ env: { APS_AUTH_HOME: home, APS_AUTH_PROFILE: '../x' }, cwd }),
    ).rejects.toMatchObject({
      field: 'profile',
      message: `APS_AUTH_PROFILE (from the environment): ${suffix}`,
    });
    await writeFile(join(cwd, '.env'), 'APS_AUTH_PROFILE=../x\n');
    await expect(loadConfig({ env: { APS_AUTH_HOME: home }, cwd })).rejects.toMatchObject({
      field: 'profile',
      message: `APS_AUTH_PROFILE (from ${join(cwd, '.env')}): ${suffix}`,
    });
    await expect(
      loadConfig({ flags: { profile: '../x' }, env: { APS_AUTH_HOME: home }, cwd }),
    ).rejects.toMatchObject({
      message: suffix,
    });
  });

  it('precedence for every field: flag > env > .env > profile > default, with sources', async () => {
    const { cwd, home, value } = await layers();
    const fields = Object.keys(FIELDS) as (keyof typeof FIELDS)[];
    const levels = ['flag', 'env', 'dotenv', 'profile'] as const;
    for (const field of fields) {
      for (const [index, level] of levels.entries()) {
        // Give the field at this level and every lower one; remove the higher ones.
        const flags: Record<string, string> = {};
        const env: Record<string, string> = { APS_AUTH_HOME: home };
        if (index <= 0) flags[field] = value(field, 'flag');
        if (index <= 1) env[FIELDS[field]] = value(field, 'env');
        // A secret from outside the .env is withheld from the .env's client id and server: name others.
        if (field === 'clientSecret' && index <= 1) {
          flags.clientId = 'flag-clientId';
          flags.baseUrl = 'https://flag.example';
        }
        const dir = index <= 2 ? cwd : await tempDir();
        const config = await loadConfig({ flags, env, cwd: dir });
        const got = field === 'scopes' ? config.scopes.join(' ') : config[field];
        expect(got, `${field} at ${level}`).toBe(value(field, level));
        expect(config.sources[field], `${field} at ${level}`).toBe(level);
      }
    }
  });

  it('defaults when nothing is configured', async () => {
    const cwd = await tempDir();
    const home = await tempDir();
    const config = await loadConfig({ env: { APS_AUTH_HOME: home }, cwd });
    expect({ ...config }).toEqual({
      profile: 'default',
      home,
      clientId: undefined,
      callbackUrl: DEFAULT_CALLBACK_URL,
      scopes: ['data:read', 'viewables:read'],
      baseUrl: APS_BASE_URL,
      sources: {
        profile: 'default',
        home: 'env',
        clientId: 'default',
        clientSecret: 'default',
        callbackUrl: 'default',
        scopes: 'default',
        baseUrl: 'default',
      },
      dotenvPath: undefined,
      serverFromDotenv: false,
      allowHttp: false,
    });
    expect(config.clientSecret).toBeUndefined();
    expect(hasCredentials(config)).toBe(false);
    expect(() => toCoreConfig(config)).toThrow(/No APS client id: set APS_CLIENT_ID/);
    try {
      toCoreConfig(config);
    } catch (error) {
      expect(isConfigurationError(error)).toBe(true);
      expect(error).toMatchObject({ field: 'clientId' });
    }
  });

  it('.env is parsed with node:util parseEnv (quotes, comments, export-free lines), dotenvPath reported', async () => {
    const cwd = await tempDir();
    const home = await tempDir();
    await writeFile(
      join(cwd, '.env'),
      [
        '# a comment',
        'APS_CLIENT_ID=from-dotenv # trailing comment',
        "APS_CLIENT_SECRET='quoted secret=='",
        'APS_SCOPES="data:read   data:write"',
        'APS_CALLBACK_URL=',
        `APS_AUTH_HOME=${home}`,
        'APS_AUTH_PROFILE=work',
      ].join('\n'),
    );
    const xdg = await tempDir();
    const warnings: unknown[] = [];
    const config = await loadConfig({
      env: { XDG_CONFIG_HOME: xdg },
      cwd,
      onWarning: (w) => warnings.push(w),
    });
    expect(config.dotenvPath).toBe(join(cwd, '.env'));
    expect(config.clientId).toBe('from-dotenv');
    expect(config.clientSecret).toBe('quoted secret==');
    expect(config.scopes).toEqual(['data:read', 'data:write']);
    // An empty value counts as not set.
    expect(config.callbackUrl).toBe(DEFAULT_CALLBACK_URL);
    expect(config.profile).toBe('work');
    // A .env never chooses the home (where secrets are kept): ignored, with a warning naming the file.
    expect(config.home).toBe(join(xdg, 'aps-auth'));
    expect(warnings).toEqual([
      {
        code: 'DOTENV_HOME_IGNORED',
        message: expect.stringContaining(`APS_AUTH_HOME in ${join(cwd, '.env')} is ignored`),
      },
    ]);
    expect(config.sources).toMatchObject({
      profile: 'dotenv',
      home: 'default',
      clientId: 'dotenv',
      clientSecret: 'dotenv',
    });
  });

  it('the secret is non-enumerable: never printed by console.log or JSON.stringify', async () => {
    const cwd = await tempDir();
    const env = {
      APS_CLIENT_ID: 'id',
      APS_CLIENT_SECRET: 'very-secret-value',
      APS_AUTH_HOME: await tempDir(),
    };
    const config = await loadConfig({ env, cwd });
    expect(config.clientSecret).toBe('very-secret-value');
    expect(JSON.stringify(config)).not.toContain('very-secret');
    expect(inspect(config)).not.toContain('very-secret');
    expect(Object.keys(config)).not.toContain('clientSecret');
    const core = toCoreConfig(config, { timeoutMs: 5 });
    expect(core).toMatchObject({
      clientId: 'id',
      clientSecret: 'very-secret-value',
      redirectUri: DEFAULT_CALLBACK_URL,
      scopes: ['data:read', 'viewables:read'],
      baseUrl: APS_BASE_URL,
      timeoutMs: 5,
    });
    expect(hasCredentials(config)).toBe(true);
  });

  it("a saved secret is used only with the saved profile's client id; --profile selects the profile", async () => {
    const cwd = await tempDir();
    const home = await tempDir();
    const settings = {
      clientId: 'saved-id',
      clientSecret: 'saved-secret',
      callbackUrl: 'http://localhost:7777/cb',
      scopes: ['data:read'],
      baseUrl: 'http://127.0.0.1:9400',
    };
    await saveProfile(home, 'work', settings);
    const env = { APS_AUTH_HOME: home };
    const saved = await loadConfig({ flags: { profile: 'work' }, env, cwd });
    expect(saved).toMatchObject({
      profile: 'work',
      clientId: 'saved-id',
      callbackUrl: 'http://localhost:7777/cb',
    });
    expect(saved.clientSecret).toBe('saved-secret');
    expect(saved.sources.profile).toBe('flag');
    const other = await loadConfig({ flags: { profile: 'work', clientId: 'other-id' }, env, cwd });
    expect(other.clientSecret).toBeUndefined();
    expect(other.sources.clientSecret).toBe('default');
    const byEnv = await loadConfig({ env: { ...env, APS_AUTH_PROFILE: 'work' }, cwd });
    expect(byEnv).toMatchObject({ profile: 'work', clientId: 'saved-id' });
    await expect(loadConfig({ flags: { profile: '../x' }, env, cwd })).rejects.toMatchObject({
      code: 'CONFIGURATION_ERROR',
      field: 'profile',
    });
  });

  it('scopes may be separated by spaces or commas; a trailing slash of the base URL is dropped', async () => {
    const config = await loadConfig({
      flags: { scopes: 'data:read,data:write  viewables:read', baseUrl: 'http://127.0.0.1:9400//' },
      env: { APS_AUTH_HOME: await tempDir() },
      cwd: await tempDir(),
    });
    expect(config.scopes).toEqual(['data:read', 'data:write', 'viewables:read']);
    expect(config.baseUrl).toBe('http://127.0.0.1:9400');
  });
});

/** A saved profile of a confidential app on another server than APS. */
const SAVED = {
  clientId: 'saved-client',
  clientSecret: 'saved-secret-Xq7',
  callbackUrl: DEFAULT_CALLBACK_URL,
  scopes: ['data:read'],
  baseUrl: 'https://aps.example/',
};

describe('the saved secret and the server (a .env must not send it elsewhere)', () => {
  const saved = SAVED;

  it('is used only when the client id and the server both match the saved profile', async () => {
    const home = await tempDir();
    await saveProfile(home, 'default', saved);
    const plain = await tempDir();
    // Same client id, same server (a trailing slash is not a difference): the saved secret.
    for (const base of [undefined, 'https://aps.example', 'https://aps.example//']) {
      const env = { APS_AUTH_HOME: home, APS_CLIENT_ID: 'saved-client', APS_BASE_URL: base };
      const config = await loadConfig({ env, cwd: plain });
      expect(config.clientSecret, String(base)).toBe('saved-secret-Xq7');
      expect(config.sources.clientSecret).toBe('profile');
    }
    // The same client id on another server, from a .env in the working directory: no secret.
    const cwd = await tempDir();
    await writeFile(join(cwd, '.env'), 'APS_BASE_URL=https://evil.example\n');
    const hijacked = await loadConfig({ env: { APS_AUTH_HOME: home, APS_CLIENT_ID: 'saved-client' }, cwd });
    expect(hijacked.baseUrl).toBe('https://evil.example');
    expect(hijacked.sources.baseUrl).toBe('dotenv');
    expect(hijacked.clientSecret).toBeUndefined();
    expect(hijacked.sources.clientSecret).toBe('default');
    expect(toCoreConfig(hijacked).clientSecret).toBeUndefined();
    // Nor from the environment.
    const other = await loadConfig({
      env: { APS_AUTH_HOME: home, APS_BASE_URL: 'http://other.example' },
      cwd: plain,
    });
    expect(other.clientId).toBe('saved-client');
    expect(other.clientSecret).toBeUndefined();
  });

  it("a .env's server, client id or profile never receives a secret from the environment (withheld)", async () => {
    const home = await tempDir();
    const env = { APS_AUTH_HOME: home, APS_CLIENT_ID: 'c', APS_CLIENT_SECRET: 'env-secret-Jk2' };
    for (const [dotenv, chosen] of [
      ['APS_BASE_URL=https://evil.example\n', ['APS_BASE_URL']],
      ['APS_AUTH_PROFILE=work\n', ['APS_AUTH_PROFILE']],
    ] as const) {
      const cwd = await tempDir();
      await writeFile(join(cwd, '.env'), dotenv);
      const config = await loadConfig({ env, cwd });
      expect(config.clientSecret, dotenv).toBeUndefined();
      expect(config.secretWithheld).toEqual({ source: 'env', because: 'dotenv-chosen', chosen });
      expect(toCoreConfig(config).clientSecret).toBeUndefined();
    }
    const byClient = await tempDir();
    await writeFile(join(byClient, '.env'), 'APS_CLIENT_ID=dot-client\n');
    const config = await loadConfig({
      env: { APS_AUTH_HOME: home, APS_CLIENT_SECRET: 'env-secret-Jk2' },
      cwd: byClient,
    });
    expect(config.clientSecret).toBeUndefined();
    expect(config.secretWithheld).toMatchObject({ chosen: ['APS_CLIENT_ID'] });
    // The same secret and server both in the environment, or both in the .env, or the .env naming APS: fine.
    const cwd = await tempDir();
    await writeFile(join(cwd, '.env'), 'APS_BASE_URL=https://evil.example\n');
    expect(
      toCoreConfig(await loadConfig({ env: { ...env, APS_BASE_URL: 'https://evil.example' }, cwd }))
        .clientSecret,
    ).toBe('env-secret-Jk2');
    const both = await tempDir();
    await writeFile(join(both, '.env'), 'APS_BASE_URL=https://local.example\nAPS_CLIENT_SECRET=dot-secret\n');
    expect(
      toCoreConfig(await loadConfig({ env: { APS_AUTH_HOME: home, APS_CLIENT_ID: 'c' }, cwd: both }))
        .clientSecret,
    ).toBe('dot-secret');
    const aps = await tempDir();
    await writeFile(join(aps, '.env'), `APS_BASE_URL=${APS_BASE_URL}/\n`);
    expect(toCoreConfig(await loadConfig({ env, cwd: aps })).clientSecret).toBe('env-secret-Jk2');
  });

  it("a saved profile's server is used only with that profile's client id", async () => {
    const home = await tempDir();
    await saveProfile(home, 'default', saved);
    const config = await loadConfig({
      env: { APS_AUTH_HOME: home, APS_CLIENT_ID: 'real', APS_CLIENT_SECRET: 'real-secret' },
      cwd: await tempDir(),
    });
    expect(config.baseUrl).toBe(APS_BASE_URL);
    expect(config.sources.baseUrl).toBe('default');
    expect(toCoreConfig(config).clientSecret).toBe('real-secret');
  });

  it('a server saved from a .env never receives a secret from the environment later', async () => {
    const home = await tempDir();
    await saveProfile(home, 'default', { ...saved, baseUrlFrom: 'dotenv' });
    const env = { APS_AUTH_HOME: home, APS_CLIENT_ID: 'saved-client', APS_CLIENT_SECRET: 'env-secret' };
    const config = await loadConfig({ env, cwd: await tempDir() });
    expect(config.baseUrl).toBe('https://aps.example');
    expect(config.serverFromDotenv).toBe(true);
    expect(config.clientSecret).toBeUndefined();
    expect(config.secretWithheld).toEqual({ source: 'env', because: 'dotenv-server', chosen: [] });
    // The secret saved with it (from that .env) still goes there.
    const own = await loadConfig({ env: { APS_AUTH_HOME: home }, cwd: await tempDir() });
    expect(own.clientSecret).toBe('saved-secret-Xq7');
  });

  it('plain http only for a loopback server, unless APS_AUTH_ALLOW_HTTP=1 in the environment', async () => {
    const home = await tempDir();
    const cwd = await tempDir();
    const env = { APS_AUTH_HOME: home, APS_CLIENT_ID: 'c' };
    const http = await loadConfig({ env: { ...env, APS_BASE_URL: 'http://auth.example' }, cwd });
    expect(() => toCoreConfig(http)).toThrow(
      expect.objectContaining({ field: 'baseUrl', problem: 'insecure-http', input: 'APS_BASE_URL' }),
    );
    expect(() => toCoreConfig(http)).toThrow(
      /APS_BASE_URL "http:\/\/auth\.example" \(from the environment\) must use https/,
    );
    for (const local of ['http://127.0.0.1:9400', 'http://localhost:9400', 'http://[::1]:9400']) {
      expect(toCoreConfig(await loadConfig({ env: { ...env, APS_BASE_URL: local }, cwd })).baseUrl).toBe(
        local,
      );
    }
    const allowed = await loadConfig({
      env: { ...env, APS_BASE_URL: 'http://auth.example', APS_AUTH_ALLOW_HTTP: '1' },
      cwd,
    });
    expect(toCoreConfig(allowed).baseUrl).toBe('http://auth.example');
    // Never from a .env.
    const dot = await tempDir();
    await writeFile(join(dot, '.env'), 'APS_BASE_URL=http://auth.example\nAPS_AUTH_ALLOW_HTTP=1\n');
    await expect(loadConfig({ env, cwd: dot }).then(toCoreConfig)).rejects.toMatchObject({
      problem: 'insecure-http',
    });
  });

  it('a bad APS_CALLBACK_URL is named with its value and source, not as redirectUri', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, '.env'), 'APS_CALLBACK_URL="http://localhost:8080/cb#frag"\n');
    const config = await loadConfig({ env: { APS_AUTH_HOME: await tempDir(), APS_CLIENT_ID: 'c' }, cwd });
    let error: unknown;
    try {
      toCoreConfig(config);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ field: 'redirectUri', problem: 'fragment', input: 'APS_CALLBACK_URL' });
    expect((error as Error).message).toBe(
      `APS_CALLBACK_URL "http://localhost:8080/cb#frag" (from ${join(cwd, '.env')}) must not contain a fragment (#).`,
    );
    const flagged = await loadConfig({
      flags: { callbackUrl: 'ftp://x/cb' },
      env: { APS_AUTH_HOME: await tempDir(), APS_CLIENT_ID: 'c' },
      cwd,
    });
    expect(() => toCoreConfig(flagged)).toThrow(
      '--callback-url "ftp://x/cb" (from the command line) must use http or https.',
    );
  });
});

describe('defaultHome', () => {
  it('per platform', () => {
    expect(defaultHome({}, 'linux', '/home/ada')).toBe('/home/ada/.config/aps-auth');
    expect(defaultHome({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ada')).toBe('/xdg/aps-auth');
    expect(defaultHome({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/ada')).toBe(
      '/home/ada/.config/aps-auth',
    );
    expect(defaultHome({}, 'darwin', '/Users/ada')).toBe('/Users/ada/Library/Application Support/aps-auth');
    expect(defaultHome({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada')).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\aps-auth',
    );
    expect(defaultHome({}, 'win32', 'C:\\Users\\ada')).toBe('C:\\Users\\ada\\AppData\\Roaming\\aps-auth');
    expect(defaultHome({}, 'freebsd', '/home/ada')).toBe('/home/ada/.config/aps-auth');
  });

  it('loadConfig uses it when APS_AUTH_HOME is not set', async () => {
    const xdg = await tempDir();
    const config = await loadConfig({ env: { XDG_CONFIG_HOME: xdg }, cwd: await tempDir() });
    expect(config.home).toBe(
      process.platform === 'linux' ? join(xdg, 'aps-auth') : defaultHome({ XDG_CONFIG_HOME: xdg }),
    );
    expect(config.sources.home).toBe('default');
  });
});

describe('refuseDotenvProfileChange (before a login saves the profile)', () => {
  const saved = SAVED;
  const setup = async (dotenv: string, env: Record<string, string> = {}) => {
    const cwd = await tempDir();
    const home = await tempDir();
    await saveProfile(home, 'default', saved);
    await writeFile(join(cwd, '.env'), dotenv);
    return loadConfig({ env: { APS_AUTH_HOME: home, ...env }, cwd });
  };

  it('refuses a .env server other than the saved one, or a .env client id other than the saved one', async () => {
    const server = await setup('APS_BASE_URL=http://evil.example\n');
    expect(server.saved).toEqual({
      clientId: 'saved-client',
      baseUrl: 'https://aps.example',
      hasSecret: true,
      serverFromDotenv: false,
    });
    expect(JSON.stringify(server)).not.toContain('saved-secret');
    expect(() => refuseDotenvProfileChange(server)).toThrow(
      /would replace the saved profile "default"'s server https:\/\/aps\.example with http:\/\/evil\.example \(APS_BASE_URL\): refused/,
    );
    const client = await setup('APS_CLIENT_ID=other-client\n');
    expect(() => refuseDotenvProfileChange(client)).toThrow(
      /client id saved-client with other-client \(APS_CLIENT_ID\): refused.*set APS_CLIENT_ID in the environment/,
    );
  });

  it('allows the same server, APS itself, the environment, and a new profile', async () => {
    for (const config of [
      await setup('APS_BASE_URL=https://aps.example/\n'),
      await setup(`APS_BASE_URL=${APS_BASE_URL}\n`),
      await setup('', { APS_BASE_URL: 'http://other.example', APS_CLIENT_ID: 'x' }),
    ]) {
      expect(() => refuseDotenvProfileChange(config)).not.toThrow();
    }
    const cwd = await tempDir();
    await writeFile(join(cwd, '.env'), 'APS_BASE_URL=http://other.example\n');
    const fresh = await loadConfig({ env: { APS_AUTH_HOME: await tempDir() }, cwd });
    expect(fresh.saved).toBeUndefined();
    expect(() => refuseDotenvProfileChange(fresh)).not.toThrow();
  });
});
