import { describeClient } from './clients.js';
import type { EmulatorDeps } from './context.js';
import type { ClientRegistration, EmulatorControl } from './types.js';

export function validateLifetime(seconds: unknown): number {
  if (!Number.isInteger(seconds) || (seconds as number) < 2 || (seconds as number) > 10 * 365 * 86400) {
    throw new TypeError('accessTokenLifetime must be an integer number of seconds, at least 2');
  }
  return seconds as number;
}

/** The in-process control surface; the HTTP control API calls the same operations. */
export function createControl(
  deps: EmulatorDeps,
  initial: { clients: ClientRegistration[]; autoApprove: boolean; accessTokenLifetime: number },
): EmulatorControl {
  return {
    registerClient: (reg) => describeClient(deps.clients.register(reg)),
    removeClient: (clientId) => deps.clients.remove(clientId),
    listClients: () => deps.clients.list().map(describeClient),
    requests: () => deps.log.list(),
    clearRequests: () => deps.log.clear(),
    addFault: (fault) => deps.faults.add(fault),
    clearFaults: () => deps.faults.clear(),
    now: () => deps.clock.now(),
    advanceClock: (seconds) => deps.clock.advance(seconds),
    clock: () => deps.clock.state(),
    setAutoApprove(on) {
      if (typeof on !== 'boolean') throw new TypeError('autoApprove must be a boolean');
      deps.settings.autoApprove = on;
    },
    setAccessTokenLifetime(seconds) {
      deps.settings.accessTokenLifetime = validateLifetime(seconds);
    },
    async rotateKeys(options = {}) {
      const keep = options.keepPrevious ?? true;
      if (typeof keep !== 'boolean') throw new TypeError('keepPrevious must be a boolean');
      const kids = await deps.keys.rotate(keep);
      return { kid: deps.keys.current.kid, kids };
    },
    reset() {
      deps.clients.clear();
      for (const reg of initial.clients) deps.clients.register(reg);
      deps.grants.clear();
      deps.log.clear();
      deps.faults.clear();
      deps.rateLimiter.clear();
      deps.clock.reset();
      deps.keys.dropPrevious();
      deps.settings.autoApprove = initial.autoApprove;
      deps.settings.accessTokenLifetime = initial.accessTokenLifetime;
    },
  };
}
