import type { EmulatorUser } from './types.js';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f4f6;color:#111827}
.banner{background:#7c2d12;color:#fff;text-align:center;padding:8px 12px;font-size:14px;letter-spacing:.02em}
main{max-width:480px;margin:40px auto;background:#fff;border:1px solid #e5e7eb;border-radius:12px;padding:32px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:22px;margin:0 0 8px}
p{margin:8px 0}
.muted{color:#6b7280;font-size:14px}
.brand{margin:0 0 16px;color:#7c2d12;font-size:13px;font-weight:600;text-transform:uppercase;letter-spacing:.06em}
ul.scopes{list-style:none;padding:0;margin:12px 0 20px;display:flex;flex-wrap:wrap;gap:8px}
ul.scopes li{background:#eef2ff;color:#3730a3;border-radius:999px;padding:2px 12px;font:14px ui-monospace,monospace}
.user{display:flex;gap:12px;align-items:center;background:#f9fafb;border-radius:8px;padding:12px;margin:16px 0}
.avatar{flex-shrink:0;width:40px;height:40px;border-radius:50%;background:#4f46e5;color:#fff;display:flex;align-items:center;justify-content:center;font-weight:600}
.actions{display:flex;gap:12px;margin-top:24px}
button{flex:1;font:inherit;font-weight:600;padding:10px 16px;border-radius:8px;cursor:pointer;border:1px solid #d1d5db;background:#fff;color:#111827}
button.allow{background:#4f46e5;border-color:#4f46e5;color:#fff}
button:focus-visible{outline:3px solid #a5b4fc;outline-offset:2px}
code{font:14px ui-monospace,monospace;word-break:break-all}
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Local APS emulator</title>
<style>${STYLE}</style>
</head>
<body>
<div class="banner" role="note">Local APS emulator: a test server for development, not Autodesk</div>
<main>
<p class="brand">Local APS emulator</p>
${body}
</main>
</body>
</html>`;
}

export interface ConsentPageInput {
  requestId: string;
  appName: string;
  clientId: string;
  scopes: string[];
  user: EmulatorUser;
  redirectUri: string;
}

export function consentPage(input: ConsentPageInput): string {
  const { user } = input;
  const initials = `${user.firstName.charAt(0)}${user.lastName.charAt(0)}`;
  const scopes = input.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('');
  return layout(
    'Allow access?',
    `<h1>Allow <span id="app-name">${escapeHtml(input.appName)}</span> to access your account?</h1>
<p class="muted">Client ID <code>${escapeHtml(input.clientId)}</code></p>
<div class="user" id="user">
<div class="avatar" aria-hidden="true">${escapeHtml(initials)}</div>
<div><div><strong>${escapeHtml(`${user.firstName} ${user.lastName}`)}</strong></div>
<div class="muted">Signed in as ${escapeHtml(user.email)} (test user)</div></div>
</div>
<p>The app asks for these scopes:</p>
<ul class="scopes" id="scopes">${scopes}</ul>
<p class="muted">After your answer you will be sent to <code>${escapeHtml(input.redirectUri)}</code></p>
<form method="post" action="/authentication/v2/authorize/decision">
<input type="hidden" name="request" value="${escapeHtml(input.requestId)}">
<div class="actions">
<button type="submit" name="decision" value="deny" class="deny">Deny</button>
<button type="submit" name="decision" value="allow" class="allow" autofocus>Allow</button>
</div>
</form>`,
  );
}

/** APS's own page for an unregistered callback URL: it never calls the app back. */
export function invalidRedirectUriPage(): string {
  return layout(
    '400 - Invalid redirect_uri',
    `<h1>400 - Invalid redirect_uri</h1>
<p>The <code>redirect_uri</code> in this request is not one of the callback URLs registered for this app.
Callback URLs must match exactly: scheme, host, port, path and trailing slash.</p>`,
  );
}

export function errorPage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}

/** `response_mode=form_post`: the browser posts the answer to the callback URL. */
export function formPostPage(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n');
  return layout(
    'Returning to the app',
    `<h1>Returning to the app…</h1>
<form method="post" action="${escapeHtml(action)}" id="form_post">
${inputs}
<noscript><button type="submit">Continue</button></noscript>
</form>
<script>document.getElementById('form_post').submit()</script>`,
  );
}

export function signedOutPage(): string {
  return layout(
    'Signed out',
    '<h1>Signed out</h1>\n<p>You have been signed out of the local APS emulator.</p>',
  );
}
