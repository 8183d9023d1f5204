import { Layout } from './layout.js';

export interface ErrorPageProps {
  banner: string | undefined;
  title: string;
  message: string;
  /** The stable code of the failure, shown for support. */
  code: string;
}

/** A failure a person can act on: what happened, the code, and the way back. */
export function ErrorPage({ banner, title, message, code }: ErrorPageProps) {
  return (
    <Layout title={title} banner={banner}>
      <h1>{title}</h1>
      <p id="message">{message}</p>
      <p class="muted">
        Error code: <code id="error-code">{code}</code>
      </p>
      <div class="actions">
        <a class="button primary" href="/api/auth/login">
          Sign in again
        </a>
        <a class="button" href="/">
          Home
        </a>
      </div>
    </Layout>
  );
}
