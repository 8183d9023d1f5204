import { jwtVerify, SignJWT } from 'jose';
import { randomId } from './crypto-utils.js';
import type { KeyRing } from './keys.js';
import type { EmulatorUser } from './types.js';

/** APS puts this audience in every access token. */
export const ACCESS_TOKEN_AUDIENCE = 'https://autodesk.com';

export interface AccessTokenInput {
  issuer: string;
  clientId: string;
  scopes: string[];
  /** Absent for two-legged tokens. */
  userId?: string;
  nowMs: number;
  lifetimeSeconds: number;
}

export interface AccessTokenClaims {
  jti: string;
  client_id: string;
  scope: string[];
  userid?: string;
  exp: number;
  iat: number;
  iss: string;
  aud: string;
}

export interface IdTokenInput {
  issuer: string;
  clientId: string;
  user: EmulatorUser;
  nonce: string | undefined;
  nowMs: number;
  lifetimeSeconds: number;
}

/** The user's id in "a third-party tracking/analytics system": a stable made-up value derived from the user id. */
export function analyticsIdOf(user: EmulatorUser): string {
  return `EMU-ANALYTICS-${user.userId}`;
}

/** Mints and verifies the RS256 JWTs. */
export class TokenSigner {
  constructor(private readonly keys: KeyRing) {}

  async mintAccessToken(input: AccessTokenInput): Promise<{ token: string; claims: AccessTokenClaims }> {
    const iat = Math.floor(input.nowMs / 1000);
    const claims: AccessTokenClaims = {
      scope: input.scopes,
      client_id: input.clientId,
      iss: input.issuer,
      aud: ACCESS_TOKEN_AUDIENCE,
      jti: randomId(16),
      ...(input.userId === undefined ? {} : { userid: input.userId }),
      iat,
      exp: iat + input.lifetimeSeconds,
    };
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: this.keys.current.kid, typ: 'JWT' })
      .sign(this.keys.current.privateKey);
    return { token, claims };
  }

  /**
   * The ID token: APS's documented claims (`userid`, `user_name`, `user_email`, `first_name`, `last_name`,
   * `analytics_id`) plus the registered ones a verifier needs (`iss`, `aud`, `exp`, `iat`, `nonce`, and `sub`,
   * which OIDC requires and APS's tutorial does not list).
   */
  async mintIdToken(input: IdTokenInput): Promise<string> {
    const iat = Math.floor(input.nowMs / 1000);
    const { user } = input;
    return new SignJWT({
      iss: input.issuer,
      sub: user.userId,
      aud: input.clientId,
      iat,
      exp: iat + input.lifetimeSeconds,
      ...(input.nonce === undefined ? {} : { nonce: input.nonce }),
      userid: user.userId,
      user_name: user.userName,
      user_email: user.email,
      first_name: user.firstName,
      last_name: user.lastName,
      analytics_id: analyticsIdOf(user),
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.keys.current.kid, typ: 'JWT' })
      .sign(this.keys.current.privateKey);
  }

  /** Verifies signature, audience and expiry (on the emulator clock); null when anything is wrong. */
  async verifyAccessToken(token: string, nowMs: number): Promise<AccessTokenClaims | null> {
    try {
      const { payload } = await jwtVerify(token, (header) => this.keys.publicKeyFor(header), {
        algorithms: ['RS256'],
        audience: ACCESS_TOKEN_AUDIENCE,
        currentDate: new Date(nowMs),
        clockTolerance: 0,
      });
      if (typeof payload.jti !== 'string' || typeof payload.client_id !== 'string') return null;
      return payload as unknown as AccessTokenClaims;
    } catch {
      return null;
    }
  }
}
