import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** What the worker reads from its bindings, as a Cloudflare deployment sets them (vars and secrets). */
export interface WebWorkerBindings {
  APS_CLIENT_ID: string;
  APS_CLIENT_SECRET: string;
  APS_CALLBACK_URL: string;
  /** The authentication server: the emulator on 127.0.0.1, reached by the worker's outbound fetch. */
  APS_BASE_URL: string;
  SESSION_SECRET: string;
}

/** A line workerd logged (the worker's console, and the runtime's own warnings). */
export interface WorkerLog {
  level: string;
  message: string;
}

export interface WebWorker {
  /** What workerd logged so far. */
  logs: WorkerLog[];
  /** A request to the worker, as a browser at the URL's origin would send it (redirects not followed). */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Bundles `runners/web-app-worker.js` with `@aps-auth/web`'s "." entry (its built `dist/`, and core's, as users
 * get them) into one module worker, as `wrangler deploy` would: esbuild, browser platform, workerd conditions.
 */
export async function bundleWebWorker(): Promise<string> {
  const result = await build({
    entryPoints: [`${packageDir}runners/web-app-worker.js`],
    bundle: true,
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    format: 'esm',
    target: 'es2022',
    write: false,
    // The runtime's own module (the bindings), resolved by workerd.
    external: ['cloudflare:workers'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

/** Runs the bundled web app on workerd (miniflare); fails naming workerd when it cannot start. */
export async function startWebWorker(code: string, bindings: WebWorkerBindings): Promise<WebWorker> {
  const logs: WorkerLog[] = [];
  let mf: Miniflare;
  try {
    mf = new Miniflare({
      modules: [{ type: 'ESModule', path: 'web-app-worker.js', contents: code }],
      compatibilityDate: '2026-07-01',
      bindings: { ...bindings },
      handleStructuredLogs: ({ level, message }: WorkerLog) => {
        logs.push({ level, message });
      },
    });
    await mf.ready;
  } catch (error) {
    throw new Error(
      `workerd (npm package miniflare) could not start the web app: ${(error as Error).message}. ` +
        'Is the workerd binary installed (its install script, allowBuilds in pnpm-workspace.yaml)?',
      { cause: error },
    );
  }
  return {
    logs,
    fetch: async (url, init = {}) =>
      (await mf.dispatchFetch(url, { ...init, redirect: 'manual' } as never)) as unknown as Response,
    close: () => mf.dispose(),
  };
}
