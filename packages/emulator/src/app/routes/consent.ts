import type { Hono } from 'hono';
import type { AppEnv, EmulatorDeps } from '../context.js';
import { errorPage } from '../pages.js';
import { redirectBack } from '../redirect.js';
import { approve } from './authorize.js';

/** `POST /authentication/v2/authorize/decision`: the consent form's Allow or Deny. */
export function registerConsentRoute(app: Hono<AppEnv>, deps: EmulatorDeps): void {
  app.post('/authentication/v2/authorize/decision', async (c) => {
    const type = c.req.header('content-type') ?? '';
    const form = /^application\/x-www-form-urlencoded/i.test(type)
      ? new URLSearchParams(await c.req.text())
      : new URLSearchParams();
    const decision = form.get('decision');
    const fail = (message: string) => {
      c.get('log').error = 'invalid_request';
      return c.html(errorPage('400 - Bad request', message), 400, { 'Cache-Control': 'no-store' });
    };
    if (decision !== 'allow' && decision !== 'deny') return fail('The decision must be allow or deny.');
    const pending = deps.grants.takePending(form.get('request') ?? '', deps.clock.now());
    if (!pending)
      return fail('This sign-in request has expired or was already answered. Start the sign-in again.');
    c.get('log').clientId = pending.clientId;
    if (decision === 'allow') return approve(c, deps, pending);
    c.get('log').error = 'access_denied';
    return redirectBack(c, pending.redirectUri, pending.responseMode, {
      error: 'access_denied',
      error_description: 'The user denied the request',
      state: pending.state,
    });
  });
}
