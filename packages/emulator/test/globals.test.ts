// Its own file, so that no other test's server has run in this worker before it.
import { expect, it } from 'vitest';
import { start } from './helpers.js';

it("startEmulator leaves the host process's global Request and Response alone", async () => {
  const { Request: OriginalRequest, Response: OriginalResponse } = globalThis;
  const s = await start();
  expect((await fetch(`${s.url}/authentication/v2/keys`)).status).toBe(200);
  expect(globalThis.Request).toBe(OriginalRequest);
  expect(globalThis.Response).toBe(OriginalResponse);
});
