import type { ConfigField, ConfigSource } from './load-config.js';

type Values = Record<string, string | undefined>;

/** A value as given: trimmed, and `undefined` when absent or empty. */
export function given(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

export const VARIABLES: Record<ConfigField, string> = {
  clientId: 'APS_CLIENT_ID',
  clientSecret: 'APS_CLIENT_SECRET',
  callbackUrl: 'APS_CALLBACK_URL',
  scopes: 'APS_SCOPES',
  baseUrl: 'APS_BASE_URL',
};

/** The layers of configuration in precedence order, and the source of every value picked from them. */
export interface ConfigLayers {
  /** A variable from flag > environment > `.env`, with its source. */
  layered(flag: string | undefined, variable: string): [string, ConfigSource] | undefined;
  /** A field from flag > environment > `.env` > `fromProfile` > `fallback`; its source goes in `sources`. */
  pick(field: ConfigField, fromProfile: string | undefined, fallback?: string): string | undefined;
  readonly sources: Partial<Record<ConfigField, ConfigSource>>;
}

export function createLayers(
  flags: Partial<Record<ConfigField | 'profile', string | undefined>>,
  env: Values,
  dot: Values,
): ConfigLayers {
  const sources: Partial<Record<ConfigField, ConfigSource>> = {};
  const layered = (flag: string | undefined, variable: string): [string, ConfigSource] | undefined => {
    const fromFlag = given(flag);
    if (fromFlag !== undefined) return [fromFlag, 'flag'];
    const fromEnv = given(env[variable]);
    if (fromEnv !== undefined) return [fromEnv, 'env'];
    const fromDot = given(dot[variable]);
    if (fromDot !== undefined) return [fromDot, 'dotenv'];
    return undefined;
  };
  const pick = (field: ConfigField, fromProfile: string | undefined, fallback?: string) => {
    const layer = layered(flags[field], VARIABLES[field]);
    if (layer !== undefined) {
      sources[field] = layer[1];
      return layer[0];
    }
    const saved = given(fromProfile);
    sources[field] = saved === undefined ? 'default' : 'profile';
    return saved ?? fallback;
  };
  return { layered, pick, sources };
}
