/**
 * Every published package as users get it: publint and attw on its `pnpm pack` tarball, then all tarballs
 * installed at once into one empty npm project outside the workspace, where the bins start, every entry
 * imports from ESM, core's types resolve in a TypeScript check, and core works against the emulator.
 */
import { copyFile, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, createProject, node22Path, type Project, run, runBin, stopLiveBins } from './project.js';
import {
  binsOf,
  importSpecifiers,
  listPublishedPackages,
  ownDevDependencies,
  PACKAGE_DIR,
} from './workspace.js';

/** A bin that serves listens on a free port (PORT=0), never on a fixed one another process may hold. */
const binEnv: NodeJS.ProcessEnv = { ...childEnv, PORT: '0' };

const require = createRequire(import.meta.url);
const packages = listPublishedPackages();
let project: Project;

beforeAll(async () => {
  project = await createProject(packages);
}, 300_000);

afterAll(async () => {
  stopLiveBins();
  await project?.remove();
});

function tarballOf(name: string): string {
  const tarball = project.tarballs.get(name);
  if (tarball === undefined) throw new Error(`${name} was not packed`);
  return tarball;
}

describe('the published packages', () => {
  it('are found in the workspace: at least core, cli and emulator', () => {
    expect(packages.map((p) => p.name)).toEqual(
      expect.arrayContaining(['@aps-auth/cli', '@aps-auth/core', '@aps-auth/emulator']),
    );
  });

  it('are each a devDependency of this package (turbo builds them first and reruns this check on change)', () => {
    const missing = packages.map((p) => p.name).filter((name) => !ownDevDependencies().includes(name));
    expect(missing, 'add them to packages/packaging-check/package.json as "workspace:*"').toEqual([]);
  });
});

describe.each(packages)('$name', (pkg) => {
  it('passes publint (strict: warnings fail) on its tarball', async () => {
    const bytes = await readFile(tarballOf(pkg.name));
    const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const { messages } = await publint({ pack: { tarball }, strict: true });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg.manifest, { color: false })}`)).toEqual([]);
  });

  it('passes attw with the esm-only profile (a bin-only package has no types to check)', async () => {
    const attw = join(dirname(require.resolve('@arethetypeswrong/cli/package.json')), 'dist', 'index.js');
    const result = await run(
      process.execPath,
      [attw, tarballOf(pkg.name), '--profile', 'esm-only', '--format', 'json'],
      PACKAGE_DIR,
      childEnv,
    );
    const { analysis } = JSON.parse(result.stdout) as {
      analysis: { types: unknown; problems?: Record<string, { resolutionKind?: string }[]> };
    };
    if (importSpecifiers(pkg.manifest).length === 0) {
      expect(analysis.types).toBe(false);
    } else {
      // The esm-only profile ignores only what an ESM-only package cannot offer: node10 and require().
      const problems = Object.values(analysis.problems ?? {})
        .flat()
        .filter((p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs');
      expect(problems).toEqual([]);
    }
    expect(result.code, result.stderr).toBe(0);
  });

  for (const name of Object.keys(binsOf(pkg.manifest))) {
    const bin = () => join(project.dir, 'node_modules', '.bin', name);

    it(`installed from its tarball: bin ${name} starts (--version prints the version, --help the usage)`, async () => {
      const version = await runBin(bin(), ['--version'], project.dir, binEnv);
      expect(version).toMatchObject({ served: false, code: 0, stdout: `${pkg.manifest.version}\n` });
      const help = await runBin(bin(), ['--help'], project.dir, binEnv);
      expect(help).toMatchObject({ served: false, code: 0 });
      expect(help.stdout).toContain(`Usage: ${name}`);
    });

    it(`installed from its tarball: bin ${name} starts on Node 22 (engines: node >= 22)`, async () => {
      const node22 = node22Path();
      expect((await run(node22, ['--version'], project.dir, childEnv)).stdout).toMatch(/^v22\./);
      const version = await runBin(node22, [bin(), '--version'], project.dir, binEnv);
      expect(version).toMatchObject({ served: false, code: 0, stdout: `${pkg.manifest.version}\n` });
    });
  }

  const specifiers = importSpecifiers(pkg.manifest);
  if (specifiers.length > 0) {
    it.each([
      ['Node 24', process.execPath],
      ['Node 22', node22Path()],
    ])('installed from its tarball: every entry imports from ESM on %s', async (_label, node) => {
      const script = `const names = {}; for (const s of ${JSON.stringify(specifiers)}) names[s] = Object.keys(await import(s)).length; console.log(JSON.stringify(names));`;
      const result = await run(node, ['--input-type=module', '-e', script], project.dir, childEnv);
      expect(result.stderr).toBe('');
      const counts = JSON.parse(result.stdout) as Record<string, number>;
      expect(Object.keys(counts)).toEqual(specifiers);
      for (const specifier of specifiers) expect(counts[specifier], specifier).toBeGreaterThan(0);
    });
  }
});

describe('core and the emulator, installed from their tarballs', () => {
  it("core's three entries resolve with their types in a TypeScript check (tsc --noEmit)", async () => {
    for (const file of ['check-types.ts', 'tsconfig.json']) {
      await copyFile(join(PACKAGE_DIR, 'fixtures', file), join(project.dir, file));
    }
    const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
    const result = await run(
      process.execPath,
      [tsc, '--noEmit', '-p', 'tsconfig.json'],
      project.dir,
      childEnv,
    );
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('core signs in a two-legged app against the emulator, both imported from ESM', async () => {
    await copyFile(join(PACKAGE_DIR, 'fixtures', 'smoke.mjs'), join(project.dir, 'smoke.mjs'));
    const result = await run(process.execPath, ['smoke.mjs'], project.dir, childEnv);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      challengeMethod: 'S256',
      tokenType: 'Bearer',
      scopes: ['data:read'],
      hasAccessToken: true,
    });
  });
});
