import { Layout } from './layout.js';

export interface SignedInProps {
  banner: string | undefined;
  name: string;
  email: string | undefined;
  /** ISO time the access token expires. */
  expiresAt: string;
  /** Human form, e.g. "in 59 minutes". */
  expiresIn: string;
}

export function SignedOutPage({ banner }: { banner: string | undefined }) {
  return (
    <Layout title="Sign in" banner={banner}>
      <h1>Sign in</h1>
      <p>Sign in with your Autodesk account to use this app.</p>
      <div class="actions">
        <a class="button primary" href="/api/auth/login" id="sign-in">
          Sign in with Autodesk
        </a>
      </div>
    </Layout>
  );
}

export function SignedInPage(props: SignedInProps) {
  return (
    <Layout title="Signed in" banner={props.banner}>
      <h1>
        Signed in as <span id="user-name">{props.name}</span>
      </h1>
      <dl>
        {props.email === undefined ? null : (
          <>
            <dt>Email</dt>
            <dd id="user-email">{props.email}</dd>
          </>
        )}
        <dt>Access token</dt>
        <dd id="token-expiry">
          expires <time datetime={props.expiresAt}>{props.expiresIn}</time>; renewed automatically
        </dd>
      </dl>
      <div class="actions">
        <a class="button" href="/api/auth/profile" id="profile">
          Profile (JSON)
        </a>
        <a class="button" href="/api/auth/token" id="viewer-token">
          Viewer token (JSON)
        </a>
        <form method="post" action="/api/auth/logout">
          <button type="submit" class="primary" id="sign-out">
            Sign out
          </button>
        </form>
        <form method="post" action="/api/auth/logout">
          <input type="hidden" name="aps" value="1" />
          <button type="submit" id="sign-out-aps">
            Sign out of Autodesk too
          </button>
        </form>
      </div>
    </Layout>
  );
}
