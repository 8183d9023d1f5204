import { parseHttpUrl, URL_PROBLEM_TEXT } from './http-url.js';
import { describeInput, type InputCheck, type InputLabel, refuse } from './input-label.js';

const DEFAULT_LABEL: InputLabel = { name: 'redirectUri' };

/**
 * The callback (redirect) URL's generic rules: an absolute http(s) URL, no fragment, no credentials. Kept exactly
 * as given (trimmed): APS compares it as a string. The loopback listener adds its own rules (http, a loopback
 * host, an explicit port) where it listens. Errors name the input by `label` (e.g. `APS_CALLBACK_URL` from a
 * `.env`), with `field: 'redirectUri'` and a `problem`.
 */
export function validateCallbackUrl(value: unknown, label: InputLabel = DEFAULT_LABEL): InputCheck<string> {
  const parsed = parseHttpUrl(value);
  if (!parsed.ok) {
    const text = URL_PROBLEM_TEXT[parsed.problem] ?? 'is invalid';
    return refuse('redirectUri', label, parsed.problem, `${describeInput(label, parsed.shown)} ${text}.`);
  }
  if (parsed.url.hash !== '' || parsed.text.includes('#')) {
    return refuse(
      'redirectUri',
      label,
      'fragment',
      `${describeInput(label, parsed.text)} must not contain a fragment (#).`,
    );
  }
  return { ok: true, value: parsed.text };
}
