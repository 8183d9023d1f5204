import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { launchChromium } from '@aps-auth/test-utils';
import { Miniflare } from 'miniflare';
import { followWithFetch, type SuiteInput } from '../suite/suite.js';
import type { SuiteBundle } from './bundle.js';
import { binaries, type RuntimeReport, runToReport } from './processes.js';

export interface Runtime {
  name: string;
  /** What the runtime's own report must say it is. */
  identity: RegExp;
  run(bundle: SuiteBundle, input: SuiteInput): Promise<RuntimeReport>;
}

function cli(name: string, identity: RegExp, command: () => [string, string[]]): Runtime {
  return {
    name,
    identity,
    run: (bundle, input) => {
      const [file, args] = command();
      return runToReport(file, [...args, 'cli.js', JSON.stringify(input)], bundle.dir);
    },
  };
}

/** workerd through miniflare: the runner is a module worker; the input is posted to it. */
async function runOnWorkerd(bundle: SuiteBundle, input: SuiteInput): Promise<RuntimeReport> {
  const mf = new Miniflare({
    modules: [
      {
        type: 'ESModule',
        path: join(bundle.dir, 'worker.js'),
        contents: await readFile(join(bundle.dir, 'worker.js'), 'utf8'),
      },
      { type: 'ESModule', path: join(bundle.dir, 'suite.js'), contents: bundle.code },
    ],
    modulesRoot: bundle.dir,
    compatibilityDate: '2026-07-01',
  });
  try {
    const response = await mf.dispatchFetch('http://runner.test/', {
      method: 'POST',
      body: JSON.stringify(input),
    });
    const text = await response.text();
    if (response.status !== 200)
      throw new Error(`the worker answered ${response.status}: ${text.slice(0, 2000)}`);
    return JSON.parse(text) as RuntimeReport;
  } finally {
    await mf.dispose();
  }
}

/** Serves the bundle and the runner from a page origin of its own (another port than the emulator's). */
async function startPageServer(bundle: SuiteBundle): Promise<{ origin: string; server: Server }> {
  const browserRunner = await readFile(join(bundle.dir, 'browser.js'), 'utf8');
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const script = path === '/suite.js' ? bundle.code : path === '/browser.js' ? browserRunner : undefined;
    if (script !== undefined) {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>runtime matrix</title><script type="module" src="/browser.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * Headless Chromium (the browser launcher of @aps-auth/test-utils, as core's browser-cors test uses): the page
 * runs the suite cross-origin; only following the authorize redirect is done by the harness, since a page
 * cannot read a redirect's Location (core's browser-cors test covers the real navigation).
 */
async function runOnChromium(bundle: SuiteBundle, input: SuiteInput): Promise<RuntimeReport> {
  const { origin, server } = await startPageServer(bundle);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.exposeFunction('followAuthorize', followWithFetch);
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'runMatrixSuite' in globalThis);
    return await page.evaluate(
      (suiteInput) =>
        (globalThis as unknown as { runMatrixSuite: (i: unknown) => Promise<RuntimeReport> }).runMatrixSuite(
          suiteInput,
        ),
      input,
    );
  } finally {
    await browser.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

export const RUNTIMES: readonly Runtime[] = [
  cli('Node 22', /^node v22\./, () => [binaries.node22(), []]),
  cli('Node 24', /^node v24\./, () => [binaries.node24(), []]),
  cli('Deno', /^deno 2\./, () => [binaries.deno(), ['run', '--allow-net=127.0.0.1', '--no-prompt']]),
  cli('Bun', /^bun 1\./, () => [binaries.bun(), []]),
  { name: 'workerd (miniflare)', identity: /^Cloudflare-Workers$/, run: runOnWorkerd },
  { name: 'Chromium (headless)', identity: /HeadlessChrome\//, run: runOnChromium },
];
