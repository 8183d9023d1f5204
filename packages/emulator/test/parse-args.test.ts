import { describe, expect, it } from 'vitest';
import { DEMO_CLIENT, formatBanner, isLoopbackHost } from '../src/cli/banner.js';
import { parseArgs, parseClientFlag } from '../src/cli/parse-args.js';

describe('--allowed-host', () => {
  it('collects names (lowercased) and refuses anything but a host name', () => {
    expect(parseArgs(['--allowed-host', 'Emulator', '--allowed-host', 'emu.internal'])).toMatchObject({
      kind: 'run',
      options: { allowedHosts: ['emulator', 'emu.internal'] },
    });
    for (const bad of ['emu:9400', 'http://emu', '', 'a b', 'emu/x']) {
      expect(parseArgs(['--allowed-host', bad]), bad).toEqual({
        kind: 'error',
        message: `--allowed-host ${bad}: expected a host name without port, e.g. emulator`,
      });
    }
  });
});

describe('parseArgs', () => {
  it('defaults: port 9400 on 127.0.0.1, consent page shown, control on, no clients', () => {
    expect(parseArgs([])).toEqual({
      kind: 'run',
      options: { port: 9400, host: '127.0.0.1', autoApprove: false, control: true, clients: [] },
    });
  });

  it('reads every flag', () => {
    expect(
      parseArgs([
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--auto-approve',
        '--no-control',
        '--access-token-lifetime',
        '120',
        '--client',
        'web:s3cr:et=http://localhost:8080/cb,http://localhost:8080/cb2/',
        '--client=cli=http://127.0.0.1:5000/callback',
      ]),
    ).toEqual({
      kind: 'run',
      options: {
        port: 0,
        host: '0.0.0.0',
        autoApprove: true,
        control: false,
        accessTokenLifetime: 120,
        clients: [
          {
            clientId: 'web',
            clientSecret: 's3cr:et',
            redirectUris: ['http://localhost:8080/cb', 'http://localhost:8080/cb2/'],
          },
          { clientId: 'cli', redirectUris: ['http://127.0.0.1:5000/callback'] },
        ],
      },
    });
  });

  it('help and version win', () => {
    expect(parseArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseArgs(['-h', '--port', '1'])).toEqual({ kind: 'help' });
    expect(parseArgs(['--version'])).toEqual({ kind: 'version' });
    expect(parseArgs(['-v'])).toEqual({ kind: 'version' });
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /positional/i],
    [['--port', 'abc'], /--port must be an integer from 0 to 65535/],
    [['--port', '70000'], /--port/],
    [['--port'], /argument missing/],
    [['--host', ''], /--host/],
    [['--access-token-lifetime', '1'], /--access-token-lifetime must be an integer from 2/],
    [['--client', 'nourl'], /expected ID\[:SECRET\]=CALLBACK_URL/],
    [['--client', 'a='], /at least one callback URL/],
    [['--client', 'a:=http://x/'], /secret is empty/],
    [['--client', ':s=http://x/'], /client id is empty/],
    [['--client', 'a=not-a-url'], /not an absolute URL/],
    [['--client', 'a=javascript:alert(1)'], /"javascript:alert\(1\)" must use http: or https:/],
    [['--client', 'a=http://localhost/cb#f'], /"http:\/\/localhost\/cb#f" must not have a fragment/],
    [['--client', 'a=http://localhost/ok,data:text/html,x'], /must use http: or https:/],
    [['--client', 'a=http://x/', '--client', 'a=http://y/'], /given twice/],
  ])('rejects %j', (argv, message) => {
    const result = parseArgs(argv as string[]);
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' && result.message).toMatch(message);
  });

  it('--grants, --post-logout-uri and --name apply to the matching --client', () => {
    expect(
      parseArgs([
        '--client',
        'svc:s=http://localhost:7000/cb',
        '--client',
        'spa=http://localhost:7001/cb',
        '--grants',
        'svc=client_credentials',
        '--grants=spa=authorization_code',
        '--post-logout-uri',
        'spa=http://localhost:7001/bye,https://app.example/bye',
        '--post-logout-uri',
        'spa=http://localhost:7001/again',
        '--name',
        'spa=My Single-Page App',
      ]),
    ).toEqual({
      kind: 'run',
      options: {
        port: 9400,
        host: '127.0.0.1',
        autoApprove: false,
        control: true,
        clients: [
          {
            clientId: 'svc',
            clientSecret: 's',
            redirectUris: ['http://localhost:7000/cb'],
            grants: ['client_credentials'],
          },
          {
            clientId: 'spa',
            redirectUris: ['http://localhost:7001/cb'],
            grants: ['authorization_code'],
            postLogoutRedirectUris: [
              'http://localhost:7001/bye',
              'https://app.example/bye',
              'http://localhost:7001/again',
            ],
            name: 'My Single-Page App',
          },
        ],
      },
    });
  });

  it.each([
    [
      ['--grants', 'nope=client_credentials'],
      /--grants nope=client_credentials: no --client has the id "nope"/,
    ],
    [['--client', 'a=http://x/', '--grants', 'b=refresh_token'], /no --client has the id "b"/],
    [['--client', 'a=http://x/', '--grants', 'a'], /expected ID=VALUE/],
    [['--client', 'a=http://x/', '--grants', 'a='], /expected ID=VALUE/],
    [
      ['--client', 'a=http://x/', '--grants', 'a=password'],
      /grants are authorization_code, refresh_token, client_credentials/,
    ],
    [
      ['--client', 'a=http://x/', '--grants', 'a=refresh_token', '--grants', 'a=authorization_code'],
      /--grants a is given twice/,
    ],
    [
      ['--client', 'a=http://x/', '--grants', 'a=client_credentials'],
      /--client a: client_credentials needs a confidential client/,
    ],
    [['--post-logout-uri', 'x=http://localhost/bye'], /no --client has the id "x"/],
    [['--client', 'a=http://x/', '--post-logout-uri', 'a=javascript:alert(1)'], /must use http: or https:/],
    [['--client', 'a=http://x/', '--post-logout-uri', 'a=http://x/bye#f'], /must not have a fragment/],
    [['--name', 'x=Name'], /no --client has the id "x"/],
    [['--client', 'a=http://x/', '--name', 'a=One', '--name', 'a=Two'], /--name a is given twice/],
  ])('rejects the per-client flags %j', (argv, message) => {
    const result = parseArgs(argv as string[]);
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' && result.message).toMatch(message);
  });

  it('parseClientFlag keeps a ":" inside the secret', () => {
    expect(parseClientFlag('id:a:b=http://localhost/cb')).toEqual({
      clientId: 'id',
      clientSecret: 'a:b',
      redirectUris: ['http://localhost/cb'],
    });
  });
});

describe('formatBanner', () => {
  it('starts with the listening line and prints the demo client as paste-ready env lines', () => {
    const text = formatBanner('http://127.0.0.1:9400', [DEMO_CLIENT], true, {
      autoApprove: false,
      control: true,
    });
    expect(text.split('\n')[0]).toBe('aps-auth-emulator listening on http://127.0.0.1:9400');
    expect(text).toContain(
      [
        'APS_BASE_URL=http://127.0.0.1:9400',
        'APS_CLIENT_ID=aps-auth-demo',
        'APS_CLIENT_SECRET=aps-auth-demo-secret',
        'APS_CALLBACK_URL=http://localhost:8080/api/auth/callback',
      ].join('\n'),
    );
  });

  it('warns when it listens beyond loopback with the control API on', () => {
    const warning =
      'WARNING: listening on 0.0.0.0, not a loopback address, with the control API on: anyone who can reach it can register clients, read the request log, move the clock and reset the emulator. Add --no-control, or listen on 127.0.0.1.';
    const text = formatBanner('http://0.0.0.0:9400', [DEMO_CLIENT], true, {
      autoApprove: false,
      control: true,
      host: '0.0.0.0',
    });
    expect(text.split('\n').slice(0, 2)).toEqual([
      'aps-auth-emulator listening on http://0.0.0.0:9400',
      warning,
    ]);
    for (const host of [
      '127.0.0.1',
      '127.0.0.2',
      'localhost',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
    ]) {
      const quiet = formatBanner('http://x:1', [DEMO_CLIENT], true, {
        autoApprove: false,
        control: true,
        host,
      });
      expect(quiet, host).not.toContain('WARNING');
    }
    const off = formatBanner('http://0.0.0.0:9400', [DEMO_CLIENT], true, {
      autoApprove: false,
      control: false,
      host: '0.0.0.0',
    });
    expect(off).not.toContain('WARNING');
  });

  it.each([
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['10.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['fe80::1', false],
    ['my-laptop.local', false],
    ['127.0.0.1.nip.io', false],
  ])('isLoopbackHost(%j) is %j', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it('lists given clients without printing their secrets', () => {
    const text = formatBanner(
      'http://127.0.0.1:1',
      [{ clientId: 'web', clientSecret: 'topsecret', redirectUris: ['http://localhost/cb'] }],
      false,
      { autoApprove: true, control: false },
    );
    expect(text).toContain('client web (confidential): http://localhost/cb');
    expect(text).not.toContain('topsecret');
    expect(text).toContain('control API: off');
  });
});
