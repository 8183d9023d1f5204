import type { Endpoint, Fault } from './types.js';

export const ENDPOINTS: readonly Endpoint[] = [
  'authorize',
  'token',
  'revoke',
  'introspect',
  'userinfo',
  'keys',
  'logout',
  'discovery',
  'consent',
  'other',
];

export class FaultError extends Error {}

/** Checks a fault from the control API or a test. */
export function validateFault(input: unknown): Required<Pick<Fault, 'endpoint' | 'times'>> & Fault {
  if (typeof input !== 'object' || input === null) throw new FaultError('a fault must be an object');
  const f = input as Record<string, unknown>;
  if (!ENDPOINTS.includes(f.endpoint as Endpoint))
    throw new FaultError(`endpoint must be one of ${ENDPOINTS.join(', ')}`);
  const times = f.times ?? 1;
  if (!Number.isInteger(times) || (times as number) < 1)
    throw new FaultError('times must be a positive integer');
  if (
    f.status !== undefined &&
    (!Number.isInteger(f.status) || (f.status as number) < 200 || (f.status as number) > 599)
  ) {
    throw new FaultError('status must be an HTTP status from 200 to 599');
  }
  for (const key of ['body', 'contentType'] as const) {
    if (f[key] !== undefined && typeof f[key] !== 'string') throw new FaultError(`${key} must be a string`);
  }
  if (f.body !== undefined && f.status === undefined) throw new FaultError('body needs a status');
  if (f.headers !== undefined) {
    const h = f.headers;
    if (typeof h !== 'object' || h === null || !Object.values(h).every((v) => typeof v === 'string')) {
      throw new FaultError('headers must map names to strings');
    }
  }
  if (
    f.delayMs !== undefined &&
    (typeof f.delayMs !== 'number' || !(f.delayMs >= 0) || f.delayMs > 600_000)
  ) {
    throw new FaultError('delayMs must be a number of milliseconds from 0 to 600000');
  }
  if (f.drop !== undefined && typeof f.drop !== 'boolean') throw new FaultError('drop must be a boolean');
  if (f.status === undefined && f.delayMs === undefined && f.drop !== true) {
    throw new FaultError('a fault needs a status, a delayMs or drop: true');
  }
  return { ...(f as unknown as Fault), times: times as number };
}

/** Faults waiting for the next calls of their endpoint, first added first used. */
export class FaultQueue {
  #faults: Array<Fault & { remaining: number }> = [];

  add(input: unknown): void {
    const fault = validateFault(input);
    this.#faults.push({ ...fault, remaining: fault.times });
  }

  /** Takes one use of the first fault waiting for this endpoint. */
  take(endpoint: Endpoint): Fault | undefined {
    const fault = this.#faults.find((f) => f.endpoint === endpoint);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults = this.#faults.filter((f) => f !== fault);
    return fault;
  }

  clear(): void {
    this.#faults = [];
  }
}
