// Token-like runs: 32 or more base64url characters (JWT segments, codes, refresh tokens, secrets).
const TOKEN_LIKE = /[A-Za-z0-9_-]{32,}/g;

/**
 * Replaces, in text that came from a server or the platform, every occurrence of the given secret values
 * (4 characters or more) and every token-like run (32+ base64url characters) with `[redacted]`: a server
 * echoing a token it received must not put that token into an error. A secret is found in any mix of its
 * plain, percent-encoded (`%2B`, `%2b`) and form-encoded (`+` for a space) spellings, as a server echoing
 * the form body it received writes it (`refresh_token=RT%2Bplus%2F…`).
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join('[redacted]');
    if (out.includes('%') || (secret.includes(' ') && out.includes('+'))) {
      out = out.replace(encodedPattern(secret), '[redacted]');
    }
  }
  return out.replace(TOKEN_LIKE, '[redacted]');
}

const encoder = /* @__PURE__ */ new TextEncoder();

/** A pattern matching `secret` with each character as itself or as its `%XX` bytes (a space also as `+`). */
function encodedPattern(secret: string): RegExp {
  let source = '';
  for (const char of secret) {
    const bytes = [...encoder.encode(char)]
      .map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`)
      .join('')
      .replace(/[A-F]/g, (hex) => `[${hex}${hex.toLowerCase()}]`);
    const plain = char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    source += `(?:${plain}|${bytes}${char === ' ' ? '|\\+' : ''})`;
  }
  return new RegExp(source, 'g');
}

/** A short, single-line, tag-free excerpt of an error body, with secrets removed. */
export function snippetOf(body: string, secrets: readonly string[], max = 200): string | undefined {
  const text = body
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .trim();
  if (text === '') return undefined;
  const clean = redact(text, secrets);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * A stand-in for an underlying failure: one plain `Error` whose message names the chain
 * (e.g. "fetch failed: other side closed (UND_ERR_SOCKET)"), with secrets removed. Never the request.
 */
export function sanitizeCause(error: unknown, secrets: readonly string[]): Error | undefined {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    // Skip ky's wrappers: their messages name the request, which is ours to describe.
    if (!('request' in current))
      parts.push(typeof code === 'string' ? `${current.message} (${code})` : current.message);
    current = (current as { cause?: unknown }).cause;
  }
  if (parts.length === 0) return undefined;
  return new Error(redact(parts.join(': '), secrets).slice(0, 300));
}
