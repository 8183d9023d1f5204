/**
 * A result page for the browser: after the redirect back to a loopback listener or to a web app's callback.
 * Web APIs only (no `node:` module), so that every front end renders the same pages.
 */
export interface CallbackPage {
  readonly ok: boolean;
  readonly title: string;
  /** Plain text; escaped when rendered. */
  readonly message: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Not exported from the package: only the renderer needs it. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** The whole HTML document for a page; `title` and `message` are escaped. */
export function renderCallbackPage(page: CallbackPage): string {
  const accent = page.ok ? '#1a7f37' : '#b42318';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>aps-auth: ${escapeHtml(page.title)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f6f8fa; color: #1f2328; }
  main { max-width: 32rem; padding: 2rem 2.5rem; background: #fff; border: 1px solid #d0d7de; border-radius: 12px; border-top: 6px solid ${accent}; }
  h1 { font-size: 1.35rem; margin: 0 0 .75rem; color: ${accent}; }
  p { margin: 0; white-space: pre-line; }
  small { display: block; margin-top: 1.5rem; color: #656d76; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.message)}</p>
<small>aps-auth &middot; Autodesk Platform Services sign-in</small>
</main>
</body>
</html>
`;
}
