import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: string | Record<string, string>;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export interface PublishedPackage {
  name: string;
  dir: string;
  manifest: Manifest;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** Every package of the workspace (packages/*, apps/*) that is not private: what gets published. */
export function listPublishedPackages(): PublishedPackage[] {
  const found: PublishedPackage[] = [];
  for (const group of ['packages', 'apps']) {
    const groupDir = join(ROOT, group);
    if (!existsSync(groupDir)) continue;
    for (const entry of readdirSync(groupDir).sort()) {
      const dir = join(groupDir, entry);
      if (!existsSync(join(dir, 'package.json'))) continue;
      const manifest = readManifest(dir);
      if (manifest.private !== true) found.push({ name: manifest.name, dir, manifest });
    }
  }
  return found;
}

/** This package's own devDependencies: turbo builds them before this test runs, and re-runs it when they change. */
export function ownDevDependencies(): string[] {
  return Object.keys(readManifest(PACKAGE_DIR).devDependencies ?? {});
}

/** The bins a package declares, by name. */
export function binsOf(manifest: Manifest): Record<string, string> {
  if (manifest.bin === undefined) return {};
  if (typeof manifest.bin === 'string')
    return { [manifest.name.split('/').pop() ?? manifest.name]: manifest.bin };
  return manifest.bin;
}

/** The importable subpaths of a package (`exports` keys, without `./package.json`), as specifiers. */
export function importSpecifiers(manifest: Manifest): string[] {
  return Object.keys(manifest.exports ?? {})
    .filter((key) => key !== './package.json' && !key.includes('*'))
    .map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`));
}
