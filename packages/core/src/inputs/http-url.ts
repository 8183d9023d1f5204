import type { InputProblem } from '../errors/configuration-error.js';

/** A parsed absolute http(s) URL, or why not. `shown` is what a message may echo (never credentials). */
export type ParsedHttpUrl =
  | { ok: true; url: URL; text: string }
  | { ok: false; problem: InputProblem; shown: string | undefined };

/**
 * The generic rules every server or callback URL follows: an absolute `http:` or `https:` URL without
 * credentials. A value that does not parse is never echoed (a secret put where a URL belongs would be printed).
 */
export function parseHttpUrl(value: unknown): ParsedHttpUrl {
  if (typeof value !== 'string' || value.trim() === '')
    return { ok: false, problem: 'missing', shown: undefined };
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: 'not-a-url', shown: undefined };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, problem: 'credentials', shown: undefined };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, problem: 'not-http', shown: text };
  }
  return { ok: true, url, text };
}

/** A host that names this machine: `localhost` (and `*.localhost`), 127.0.0.0/8, `::1`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export const URL_PROBLEM_TEXT: Partial<Record<InputProblem, string>> = {
  missing: 'is required: an absolute http(s) URL',
  'not-a-url': 'is not a valid URL',
  credentials: 'must not contain a user name or password',
  'not-http': 'must use http or https',
};
