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

  async mintIdToken(input: IdTokenInput): Promise<string> {
    const iat = Math.floor(input.nowMs / 1000);
    const { user } = input;
    return new SignJWT({
      sub: user.userId,
      iss: input.issuer,
      aud: input.clientId,
      iat,
      exp: iat + input.lifetimeSeconds,
      auth_time: iat,
      ...(input.nonce === undefined ? {} : { nonce: input.nonce }),
      email: user.email,
      name: `${user.firstName} ${user.lastName}`,
      given_name: user.firstName,
      family_name: user.lastName,
      preferred_username: user.userName,
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
