/**
 * One suite of core's "." entry (suite/suite.ts), bundled once, run inside each runtime against a real
 * emulator on 127.0.0.1 started here on Node. Each runtime reports each case; each case is a test here.
 */
import { type RunningEmulator, startEmulator } from '@aps-auth/emulator/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, runSuite, type SuiteInput } from '../suite/suite.js';
import { bundleSuite, type SuiteBundle } from './bundle.js';
import type { RuntimeReport } from './processes.js';
import { RUNTIMES } from './runtimes.js';

const PUBLIC = { clientId: 'matrix-public', redirectUri: 'http://localhost:8080/api/auth/callback' };
const CONFIDENTIAL = {
  clientId: 'matrix-confidential',
  clientSecret: 'cs-matrix-0123456789abcdefghijklmnop',
};

/** The emulator on 127.0.0.1 (a free port) with the suite's two apps, auto-approving as the test user. */
function startMatrixEmulator(): Promise<RunningEmulator> {
  return startEmulator({
    port: 0,
    host: '127.0.0.1',
    autoApprove: true,
    rateLimits: false,
    clients: [
      { clientId: PUBLIC.clientId, redirectUris: [PUBLIC.redirectUri] },
      { ...CONFIDENTIAL, redirectUris: [PUBLIC.redirectUri] },
    ],
  });
}

function suiteInput(emulator: RunningEmulator): SuiteInput {
  return { baseUrl: emulator.url, publicClient: PUBLIC, confidentialClient: CONFIDENTIAL };
}

let bundle: SuiteBundle;

beforeAll(async () => {
  bundle = await bundleSuite();
});

afterAll(async () => {
  await bundle?.remove();
});

describe.each(RUNTIMES)('$name', (runtime) => {
  let emulator: RunningEmulator;
  let report: RuntimeReport;

  beforeAll(async () => {
    emulator = await startMatrixEmulator();
    try {
      report = await runtime.run(bundle, suiteInput(emulator));
    } catch (error) {
      // Name the runtime: a binary whose install script did not run, a browser that is not installed...
      throw new Error(`${runtime.name} could not run the suite: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }, 120_000);

  afterAll(async () => {
    await emulator?.close();
  });

  it('is the runtime it claims and reports every case, in order', () => {
    expect(report.runtime).toMatch(runtime.identity);
    expect(report.results.map((r) => r.name)).toEqual(CASES.map((c) => c.name));
  });

  it.each(CASES.map((c) => c.name))('%s', (name) => {
    const result = report.results.find((r) => r.name === name);
    expect(result?.error).toBeUndefined();
    expect(result?.ok).toBe(true);
  });

  it('talked to the emulator over HTTP: exchange, reuse, refresh, reuse, two-legged, wrong secret', () => {
    const calls = emulator.control
      .requests()
      .filter((r) => r.endpoint === 'token')
      .map((r) => `${r.grantType} ${r.status}${r.error ? ` ${r.error}` : ''}`);
    expect(calls).toEqual([
      'authorization_code 200',
      'authorization_code 400 invalid_grant',
      'refresh_token 200',
      'refresh_token 400 invalid_grant',
      'client_credentials 200',
      'client_credentials 401 invalid_client',
    ]);
  });
});

describe('the suite reports a failing case (run here, on the harness Node)', () => {
  it('a redirect back with a forged state fails the callback case and the cases that need its code', async () => {
    const emulator = await startMatrixEmulator();
    try {
      const forged = async () => `${PUBLIC.redirectUri}?code=stolen&state=forged`;
      const results = await runSuite(suiteInput(emulator), forged);
      expect(results.map((r) => r.ok)).toEqual([true, false, false, false, true, true]);
      expect(results[1]?.error).toBe(
        'CheckFailed: checkCallback on the real redirect: expected "code", got "refused"',
      );
      expect(results[2]?.error).toBe('Error: the code is missing: an earlier case failed');
    } finally {
      await emulator.close();
    }
  });
});
