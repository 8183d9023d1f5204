import { describe, expect, it } from 'vitest';
import { type ApsAuthConfig, isAbortedError, MemoryTokenStore } from '../../src/index.js';
import { type LoginEvent, login } from '../../src/node/index.js';
import { setup } from './login-helpers.js';

/** The redirect Location the emulator's auto-approve gives for an authorize URL (not followed). */
async function redirectedUrl(url: string): Promise<string> {
  const answer = await fetch(url, { redirect: 'manual' });
  return answer.headers.get('location') ?? '';
}

/** A manual login whose input is `lines`, then ends: what it throws. */
function pasteThenEnd(config: ApsAuthConfig, lines: string[], onEvent?: (event: LoginEvent) => void) {
  const input = [...lines];
  return login({
    config,
    store: new MemoryTokenStore(),
    key: 'default',
    openUrl: false,
    manual: { readLine: async () => input.shift() },
    ...(onEvent === undefined ? {} : { onEvent }),
  }).catch((e: unknown) => e);
}

describe('login() in manual mode', () => {
  it('manual mode: reads the pasted redirected URL (whitespace around it), no listener', async () => {
    const { server, config, port, events, onEvent } = await setup();
    let authorizeUrl = '';
    const lines = async () => `  \t${await redirectedUrl(authorizeUrl)}  \n`;
    const store = new MemoryTokenStore();
    const { token } = await login({
      config,
      store,
      key: 'default',
      openUrl: false,
      manual: { readLine: lines },
      onEvent: (e) => {
        if (e.type === 'authorize-url') authorizeUrl = e.url;
        onEvent(e);
      },
    });
    expect(await store.load('default')).toEqual(token);
    expect(events.map((e) => e.type)).toEqual([
      'authorize-url',
      'waiting',
      'callback-received',
      'exchanging',
      'stored',
    ]);
    // Nothing listened on the callback port.
    await expect(fetch(`http://127.0.0.1:${port}/api/auth/callback`)).rejects.toThrow();
    expect(server.control.requests().filter((r) => r.grantType === 'authorization_code')).toHaveLength(1);
  });

  it('manual mode: a wrong pasted state is refused and the next line is read; end of input reports it', async () => {
    const { config, events, onEvent } = await setup();
    let authorizeUrl = '';
    const answers = [
      async () => '',
      async () => 'http://localhost:1/api/auth/callback?code=abc&state=not-this-one',
      async () => redirectedUrl(authorizeUrl),
    ];
    const { token } = await login({
      config,
      store: new MemoryTokenStore(),
      key: 'default',
      openUrl: false,
      manual: { readLine: () => answers.shift()!() },
      onEvent: (e) => {
        if (e.type === 'authorize-url') authorizeUrl = e.url;
        onEvent(e);
      },
    });
    expect(token.accessToken).toBeTypeOf('string');
    const refused = events.filter((e) => e.type === 'callback-refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ message: expect.stringContaining('state does not match') });

    // The input ends after a refused line: a cancellation (AbortedError), with the refusal's reason.
    const error = await pasteThenEnd(config, ['?code=abc&state=wrong']);
    expect(isAbortedError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect((error as Error).message).toMatch(
      /^The input ended before the redirected URL was pasted; the last line was refused: The pasted URL was refused: its state does not match this sign-in/,
    );
  });

  it('manual mode: a line that is no redirected URL at all is told so (not "state does not match")', async () => {
    const { config, events, onEvent } = await setup();
    const error = await pasteThenEnd(config, ['hello world'], onEvent);
    const refused = events.filter((e) => e.type === 'callback-refused');
    expect(refused).toEqual([
      {
        type: 'callback-refused',
        code: 'NO_PARAMETERS',
        message:
          'The pasted line is not the redirected URL: paste the whole URL from the address bar (it holds code= and state=). Still waiting.',
      },
    ]);
    expect(isAbortedError(error)).toBe(true);
    expect((error as Error).message).toContain(
      'not the redirected URL: paste the whole URL from the address bar',
    );
    expect((error as Error).message).not.toContain('does not match');
  });
});
