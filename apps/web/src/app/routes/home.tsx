import type { Hono } from 'hono';
import type { WebDeps } from '../options.js';
import { SignedInPage, SignedOutPage } from '../pages/home.js';
import { STYLE } from '../pages/layout.js';
import type { Sessions } from '../sessions.js';

/** "in 59 minutes", "2 minutes ago": the token's expiry for people. */
export function describeExpiry(expiresAt: number, now: number): string {
  const minutes = Math.round((expiresAt - now) / 60_000);
  if (minutes === 0) return 'now';
  const unit = Math.abs(minutes) === 1 ? 'minute' : 'minutes';
  return minutes > 0 ? `in ${minutes} ${unit}` : `${-minutes} ${unit} ago`;
}

/** `GET /` (sign-in page, or who is signed in), `GET /style.css`, `GET /healthz`. */
export function registerPageRoutes(app: Hono, deps: WebDeps, sessions: Sessions): void {
  app.get('/', async (c) => {
    c.header('Cache-Control', 'no-store');
    const session = await sessions.current(c);
    const token = session === undefined ? undefined : await sessions.tokens.load(session.id);
    if (session === undefined || token === undefined || typeof token.expiresAt !== 'number') {
      return c.html(<SignedOutPage banner={deps.banner} />);
    }
    const user = session.record.user;
    return c.html(
      <SignedInPage
        banner={deps.banner}
        name={user?.name ?? user?.email ?? 'an Autodesk user'}
        email={user?.email}
        expiresAt={new Date(token.expiresAt).toISOString()}
        expiresIn={describeExpiry(token.expiresAt, deps.now())}
      />,
    );
  });

  app.get('/style.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(STYLE);
  });

  app.get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' });
  });
}
