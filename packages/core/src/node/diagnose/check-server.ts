import type { ResolvedConfig } from '../../config.js';
import { describeFailure, probe } from './probe.js';
import type { DiagnosticCheck } from './types.js';

export const CLOCK_WARN_MS = 30_000;
export const CLOCK_FAIL_MS = 5 * 60_000;

/** Whether the server answers (discovery, else the keys), and its clock (the `Date` header), if any. */
export async function checkServer(
  config: ResolvedConfig,
  baseUrl: string,
  signal: AbortSignal | undefined,
): Promise<{ check: DiagnosticCheck; serverDate?: number }> {
  const started = config.now();
  try {
    let response = await probe(config, 'discovery', `${baseUrl}/.well-known/openid-configuration`, signal);
    if (response.status < 200 || response.status >= 300) {
      response = await probe(config, 'keys', config.endpoints.keys, signal);
    }
    const date = Date.parse(response.headers.get('date') ?? '');
    const serverDate = Number.isNaN(date) ? undefined : date;
    const ok = response.status >= 200 && response.status < 300;
    const check: DiagnosticCheck = ok
      ? {
          id: 'server',
          status: 'pass',
          message: `${baseUrl} answered in ${Math.max(0, config.now() - started)} ms.`,
        }
      : {
          id: 'server',
          status: 'fail',
          message: `${baseUrl} answered ${response.status} to discovery and keys: check APS_BASE_URL.`,
        };
    return serverDate === undefined ? { check } : { check, serverDate };
  } catch (error) {
    return {
      check: {
        id: 'server',
        status: 'fail',
        message: `${baseUrl} cannot be reached (${describeFailure(error)}): check the network, a proxy, or APS_BASE_URL.`,
      },
    };
  }
}

/** The local clock against the server's `Date`. */
export function checkClock(now: number, serverDate: number | undefined): DiagnosticCheck {
  if (serverDate === undefined) {
    return { id: 'clock', status: 'skip', message: 'Skipped: no Date header from the server.' };
  }
  const skew = now - serverDate;
  const seconds = Math.round(Math.abs(skew) / 1000);
  const direction = skew > 0 ? 'ahead of' : 'behind';
  if (Math.abs(skew) > CLOCK_FAIL_MS) {
    return {
      id: 'clock',
      status: 'fail',
      message: `The local clock is ${seconds} s ${direction} the server's: token expiry will be wrong; set the clock (NTP).`,
    };
  }
  if (Math.abs(skew) > CLOCK_WARN_MS) {
    return {
      id: 'clock',
      status: 'warn',
      message: `The local clock is ${seconds} s ${direction} the server's: consider syncing it (NTP).`,
    };
  }
  return { id: 'clock', status: 'pass', message: `The local clock is within ${seconds} s of the server's.` };
}
