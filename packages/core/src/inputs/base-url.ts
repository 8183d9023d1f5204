import { isLoopbackHost, parseHttpUrl, URL_PROBLEM_TEXT } from './http-url.js';
import { describeInput, type InputCheck, type InputLabel, refuse } from './input-label.js';

const DEFAULT_LABEL: InputLabel = { name: 'baseUrl' };

export interface BaseUrlRules {
  /**
   * Plain `http:` for a host that is not loopback (an odd set-up: a lab proxy). Default `false`: a server is
   * `https:` unless it is this machine (the emulator). The Node front ends take it from `APS_AUTH_ALLOW_HTTP=1`
   * in the environment only, never from a `.env`.
   */
  allowHttp?: boolean | undefined;
}

/** The one normal form of a server URL: trimmed, without trailing slashes (how it is compared and stored). */
export function normalizeBaseUrl(value: string): string {
  return value.trim().replace(/\/+$/, '');
}

/**
 * An authentication server's URL: an absolute http(s) URL without credentials, `https:` unless its host is
 * loopback (or `allowHttp`). Returns it normalised (`normalizeBaseUrl`); errors carry `field: 'baseUrl'`.
 */
export function validateBaseUrl(
  value: unknown,
  label: InputLabel = DEFAULT_LABEL,
  rules: BaseUrlRules = {},
): InputCheck<string> {
  const parsed = parseHttpUrl(value);
  if (!parsed.ok) {
    const text = URL_PROBLEM_TEXT[parsed.problem] ?? 'is invalid';
    return refuse('baseUrl', label, parsed.problem, `${describeInput(label, parsed.shown)} ${text}.`);
  }
  if (parsed.url.protocol === 'http:' && rules.allowHttp !== true && !isLoopbackHost(parsed.url.hostname)) {
    return refuse(
      'baseUrl',
      label,
      'insecure-http',
      `${describeInput(label, parsed.text)} must use https (plain http is allowed only for this machine: ` +
        'localhost, 127.0.0.1, ::1). For a set-up that needs it, set APS_AUTH_ALLOW_HTTP=1 in the environment.',
    );
  }
  return { ok: true, value: normalizeBaseUrl(parsed.text) };
}
