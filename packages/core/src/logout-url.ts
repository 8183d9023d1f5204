import { type ApsAuthConfig, type ResolvedConfig, resolveConfig } from './config.js';
import { ConfigurationError } from './errors/configuration-error.js';

export interface LogoutUrlOptions {
  /** Where the browser goes after Autodesk's session is cleared (must be registered for the app). */
  postLogoutRedirectUri?: string | undefined;
}

/** The URL that clears the Autodesk browser session (send the browser there; it is not an API call). */
export function buildLogoutUrl(
  config: ApsAuthConfig | ResolvedConfig,
  options: LogoutUrlOptions = {},
): string {
  const resolved = resolveConfig(config);
  const url = new URL(resolved.endpoints.logout);
  if (options.postLogoutRedirectUri !== undefined) {
    try {
      new URL(options.postLogoutRedirectUri);
    } catch {
      throw new ConfigurationError('postLogoutRedirectUri', 'postLogoutRedirectUri must be an absolute URL.');
    }
    url.searchParams.set('post_logout_redirect_uri', options.postLogoutRedirectUri);
  }
  return url.href;
}
