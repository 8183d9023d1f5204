import { describe, expect, it } from 'vitest';
import { redact } from '../src/errors/redact.js';
import { exchangeCode, isOAuthError, isUnexpectedResponseError, refreshToken } from '../src/index.js';
import { startHostileServer } from './hostile-server.js';

// Secrets with characters that form encoding changes: `+`, `/`, `=`, a space, a non-ASCII letter.
const REFRESH = 'RT+plus/slash=eq';
const SECRET = 'cs secret+/é';
const CODE = 'co/de+1';

/**
 * A server that answers every request with an error echoing the form body it received, as sent, and the
 * client credentials of its Basic header (decoded from base64, still form-encoded).
 */
async function echoingServer(kind: 'json' | 'html') {
  return startHostileServer((request, response) => {
    if (kind === 'json') {
      const basic = (request.headers.authorization ?? '').replace(/^Basic /, '');
      const credentials = Buffer.from(basic, 'base64').toString('latin1');
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          error: 'invalid_request',
          error_description: `bad request: ${request.body} from ${credentials}`,
        }),
      );
    } else {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end(`<html><body>upstream rejected ${request.body.toLowerCase()}</body></html>`);
    }
  });
}

function viewsOf(error: unknown): string {
  const e = error as Error;
  return [e.message, JSON.stringify(e), String(e.stack)].join('\n');
}

describe('redaction of encoded echoes', () => {
  it('a 400 echoing the form body of a refresh shows no form-encoded refresh token or secret', async () => {
    const server = await echoingServer('json');
    const error = await refreshToken(
      { clientId: 'app', clientSecret: SECRET, baseUrl: server.url },
      { refreshToken: REFRESH },
    ).catch((e: unknown) => e);
    expect(isOAuthError(error)).toBe(true);
    // The server really saw (and echoed) the encoded forms.
    expect(server.requests[0]!.body).toContain('refresh_token=RT%2Bplus%2Fslash%3Deq');
    const text = viewsOf(error);
    expect(text).toContain(
      'bad request: grant_type=refresh_token&refresh_token=[redacted] from app:[redacted]',
    );
    for (const leaked of ['RT%2Bplus', 'RT+plus', 'cs+secret', 'cs%20secret', 'secret%2B']) {
      expect(text).not.toContain(leaked);
    }
  });

  it('an HTML 502 echoing a code exchange in lower-case percent-encoding shows no code or verifier', async () => {
    const server = await echoingServer('html');
    const verifier = 'v'.repeat(20) + '~-._'.repeat(6);
    const error = await exchangeCode(
      { clientId: 'app', baseUrl: server.url, redirectUri: 'http://localhost:8080/cb' },
      { code: CODE, codeVerifier: verifier },
    ).catch((e: unknown) => e);
    expect(isUnexpectedResponseError(error)).toBe(true);
    expect(server.requests[0]!.body).toContain('code=co%2Fde%2B1');
    const text = viewsOf(error);
    expect(text).toContain('code=[redacted]');
    for (const leaked of ['co%2fde', 'co/de', CODE]) expect(text).not.toContain(leaked);
  });

  it('finds plain, percent-encoded, form-encoded and mixed spellings', () => {
    const secrets = [REFRESH, SECRET];
    expect(redact('a RT+plus/slash=eq b', secrets)).toBe('a [redacted] b');
    expect(redact('a RT%2Bplus%2Fslash%3Deq b', secrets)).toBe('a [redacted] b');
    expect(redact('a rt%2bplus%2fslash%3deq b', secrets)).toBe('a rt%2bplus%2fslash%3deq b');
    expect(redact('a RT%2bplus%2fslash%3deq b', secrets)).toBe('a [redacted] b');
    expect(redact('a RT+plus%2Fslash=eq b', secrets)).toBe('a [redacted] b');
    expect(redact('x cs+secret%2B%2F%C3%A9 y', secrets)).toBe('x [redacted] y');
    expect(redact('x cs%20secret%2b%2f%c3%a9 y', secrets)).toBe('x [redacted] y');
    // A secret's own `+` is not a space: "RT plus" is another value.
    expect(redact('a RT plus/slash=eq b', secrets)).toBe('a RT plus/slash=eq b');
  });
});
