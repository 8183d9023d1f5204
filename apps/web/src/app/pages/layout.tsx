import type { Child } from 'hono/jsx';

export interface LayoutProps {
  title: string;
  banner: string | undefined;
  children?: Child;
}

/** Every page: plain HTML, one stylesheet, no script; the emulator label when there is one. */
export function Layout({ title, banner, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · aps-auth`}</title>
        <link rel="stylesheet" href="/style.css" />
      </head>
      <body>
        {banner === undefined ? null : (
          <p class="banner" role="note" id="banner">
            {banner}
          </p>
        )}
        <main>{children}</main>
      </body>
    </html>
  );
}

export const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f8fafc;color:#0f172a}
main{max-width:40rem;margin:3rem auto;padding:2rem;background:#fff;border:1px solid #e2e8f0;border-radius:12px}
.banner{margin:0;padding:.5rem 1rem;background:#fef3c7;color:#78350f;text-align:center;font-weight:600}
h1{font-size:1.5rem;margin-top:0}
.actions{display:flex;flex-wrap:wrap;align-items:center;gap:.75rem;margin-top:1.5rem}
.button,button{font:inherit;line-height:1.5;display:inline-block;font-weight:600;padding:.6rem 1rem;border-radius:8px;border:1px solid #cbd5e1;background:#fff;color:#0f172a;cursor:pointer;text-decoration:none}
.primary{background:#1d4ed8;border-color:#1d4ed8;color:#fff}
.button:focus-visible,button:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dt{font-weight:600}
label{display:block;font-weight:600;margin-bottom:.25rem}
textarea{font:14px/1.4 ui-monospace,monospace;width:100%;box-sizing:border-box}
dd{margin:0}
form{display:contents}
.muted{color:#475569}
code{background:#f1f5f9;padding:0 .25rem;border-radius:4px}
`;
