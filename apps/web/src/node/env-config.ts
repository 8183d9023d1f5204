import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigurationError } from '@aps-auth/core';
import { DEFAULT_SCOPES, MIN_SECRET_LENGTH } from '../app/options.js';

/** What the bin needs, read from the environment and a `.env` in the working directory. */
export interface WebEnvConfig {
  /** Undefined: no APS credentials, run against the embedded emulator. */
  clientId: string | undefined;
  clientSecret: string | undefined;
  callbackUrl: string;
  scopes: string;
  baseUrl: string | undefined;
  sessionSecret: string;
  port: number;
  host: string;
  /** `REDIS_URL`: sessions, sign-ins and relay pairings in Redis, shared by several instances. */
  redisUrl: string | undefined;
  /** Lines for the operator (the Flask names in use, a generated session secret). */
  notices: string[];
}

/** The widely copied Flask callback app's names, and ours. */
const FLASK_NAMES: Record<string, string> = {
  CLIENT_ID: 'APS_CLIENT_ID',
  CLIENT_SECRET: 'APS_CLIENT_SECRET',
  CALLBACK_URL: 'APS_CALLBACK_URL',
  SCOPES: 'APS_SCOPES',
};

/** The `.env` in `cwd` as variables (an absent file is none). */
export function readDotenv(cwd: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(join(cwd, '.env'), 'utf8');
  } catch {
    return {};
  }
  return parseEnv(text) as Record<string, string>;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function readRedisUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let protocol = '';
  try {
    protocol = new URL(value).protocol;
  } catch {
    // Reported below.
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new ConfigurationError(
      'REDIS_URL',
      'REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379/0.',
    );
  }
  return value;
}

/**
 * Reads the configuration: the environment first, then `.env`; `APS_*` names first, then the Flask app's
 * names (with a notice naming the preferred ones). `SESSION_SECRET` is required when `NODE_ENV=production`;
 * otherwise one is generated (sessions then end when the server stops). Throws `ConfigurationError`.
 */
export function loadWebEnv(env: Record<string, string | undefined>, cwd: string): WebEnvConfig {
  const dotenv = readDotenv(cwd);
  const notices: string[] = [];
  const flaskUsed: string[] = [];
  const read = (name: string): string | undefined => nonEmpty(env[name]) ?? nonEmpty(dotenv[name]);
  const readAps = (apsName: string): string | undefined => {
    const value = read(apsName);
    if (value !== undefined) return value;
    const flask = Object.keys(FLASK_NAMES).find((key) => FLASK_NAMES[key] === apsName)!;
    const fallback = read(flask);
    if (fallback !== undefined) flaskUsed.push(`${flask} -> ${apsName}`);
    return fallback;
  };
  const portText = read('PORT') ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigurationError('PORT', 'PORT must be a whole number from 0 to 65535.');
  }
  const clientId = readAps('APS_CLIENT_ID');
  const clientSecret = readAps('APS_CLIENT_SECRET');
  const callbackUrl = readAps('APS_CALLBACK_URL') ?? `http://localhost:${port}/api/auth/callback`;
  const scopes = readAps('APS_SCOPES') ?? DEFAULT_SCOPES;
  if (flaskUsed.length > 0) {
    notices.push(
      `Read the Flask app's names (${flaskUsed.join(', ')}); they work, but the preferred names are APS_CLIENT_ID, APS_CLIENT_SECRET, APS_CALLBACK_URL and APS_SCOPES.`,
    );
  }
  let sessionSecret = read('SESSION_SECRET');
  if (sessionSecret === undefined) {
    if (env.NODE_ENV === 'production') {
      throw new ConfigurationError(
        'SESSION_SECRET',
        `SESSION_SECRET is required when NODE_ENV=production (at least ${MIN_SECRET_LENGTH} random characters, e.g. \`openssl rand -base64 48\`).`,
      );
    }
    sessionSecret = randomBytes(48).toString('base64url');
    notices.push(
      'WARNING: SESSION_SECRET is not set; a random one was generated, so sessions end when the server stops. Set SESSION_SECRET (required with NODE_ENV=production).',
    );
  }
  return {
    clientId,
    clientSecret: clientId === undefined ? undefined : clientSecret,
    callbackUrl,
    scopes,
    baseUrl: read('APS_BASE_URL'),
    sessionSecret,
    port,
    host: read('HOST') ?? '127.0.0.1',
    redisUrl: readRedisUrl(read('REDIS_URL')),
    notices,
  };
}
