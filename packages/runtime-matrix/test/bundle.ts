import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
export const RUNNERS = ['cli.js', 'worker.js', 'browser.js'] as const;

export interface SuiteBundle {
  /** A temporary directory holding `suite.js` (the bundle) and the runners that import it. */
  dir: string;
  /** The bundle's text. */
  code: string;
  remove(): Promise<void>;
}

/**
 * Bundles the suite ONCE with core's built "." entry (`@aps-auth/core` resolves to its `dist/`, as it does for
 * users) for the browser platform, so every runtime loads the very same file.
 */
export async function bundleSuite(): Promise<SuiteBundle> {
  const dir = await mkdtemp(join(tmpdir(), 'aps-auth-runtime-matrix-'));
  const result = await build({
    entryPoints: [join(packageDir, 'suite', 'suite.ts')],
    outfile: join(dir, 'suite.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text ?? '';
  await writeFile(join(dir, 'suite.js'), code);
  for (const runner of RUNNERS) await copyFile(join(packageDir, 'runners', runner), join(dir, runner));
  return { dir, code, remove: () => rm(dir, { recursive: true, force: true }) };
}
