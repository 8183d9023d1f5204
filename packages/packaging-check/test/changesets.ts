/**
 * What `changeset version` must do to the workspace, computed independently of changesets: the pending
 * changesets (`.changeset/*.md`), the workspace's manifests, and the versions they lead to.
 */
import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from './workspace.js';

export type Bump = 'patch' | 'minor' | 'major';

export interface Changeset {
  file: string;
  bumps: Record<string, Bump>;
  summary: string;
}

const ORDER: Bump[] = ['patch', 'minor', 'major'];

/** Parses one changeset file: its front matter (`"name": bump` lines) and its summary. */
export function parseChangeset(file: string, text: string): Changeset {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
  if (match === null) throw new Error(`${file}: no front matter`);
  const bumps: Record<string, Bump> = {};
  for (const line of (match[1] as string).split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const entry = /^\s*["']?([^"':]+)["']?\s*:\s*(patch|minor|major)\s*$/.exec(line);
    if (entry === null) throw new Error(`${file}: unreadable front matter line ${JSON.stringify(line)}`);
    bumps[entry[1] as string] = entry[2] as Bump;
  }
  return { file, bumps, summary: (match[2] as string).trim() };
}

/** The pending changesets of a `.changeset/` directory (every `.md` but its README). */
export async function readChangesets(dir: string): Promise<Changeset[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.md') && f !== 'README.md').sort();
  return Promise.all(files.map(async (f) => parseChangeset(f, await readFile(join(dir, f), 'utf8'))));
}

/** `0.0.0`-style version bumped by `bump`. */
export function bumpVersion(version: string, bump: Bump): string {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

const higher = (a: Bump | undefined, b: Bump): Bump =>
  a === undefined || ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a;

/**
 * The version each package must have after `changeset version`: its highest pending bump; a package that
 * depends on a bumped package (dependencies, peer or optional) gets at least a patch
 * (`updateInternalDependencies: "patch"`), to a fixpoint; private packages keep their version.
 */
export function expectVersions(manifests: Manifest[], changesets: Changeset[]): Map<string, string> {
  const bumps = new Map<string, Bump>();
  for (const changeset of changesets) {
    for (const [name, bump] of Object.entries(changeset.bumps))
      bumps.set(name, higher(bumps.get(name), bump));
  }
  const internal = (m: Manifest) =>
    Object.keys({ ...m.dependencies, ...m.peerDependencies, ...m.optionalDependencies }).filter((d) =>
      manifests.some((other) => other.name === d),
    );
  let changed = true;
  while (changed) {
    changed = false;
    for (const m of manifests) {
      if (m.private === true || bumps.has(m.name)) continue;
      if (internal(m).some((d) => bumps.has(d))) {
        bumps.set(m.name, 'patch');
        changed = true;
      }
    }
  }
  const versions = new Map<string, string>();
  for (const m of manifests) {
    const bump = bumps.get(m.name);
    versions.set(m.name, m.private === true || bump === undefined ? m.version : bumpVersion(m.version, bump));
  }
  return versions;
}

/** The workspace's package directories, relative to its root (pnpm-workspace.yaml's `packages:`; `dir/*` globs). */
export async function listWorkspaceDirs(root: string): Promise<string[]> {
  const yaml = await readFile(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const section = /^packages:\r?\n((?:[ \t]+-.*\r?\n?)+)/m.exec(yaml)?.[1] ?? '';
  const dirs: string[] = [];
  for (const line of section.split(/\r?\n/)) {
    const pattern = /^\s+-\s+['"]?([^'"]+?)['"]?\s*$/.exec(line)?.[1];
    if (pattern === undefined) continue;
    if (!pattern.endsWith('/*')) {
      dirs.push(pattern);
      continue;
    }
    const parent = pattern.slice(0, -2);
    const entries = await readdir(join(root, parent), { withFileTypes: true }).catch(() => []);
    for (const e of entries) if (e.isDirectory()) dirs.push(`${parent}/${e.name}`);
  }
  const withManifest = await Promise.all(
    dirs.map(async (d) => ((await readdir(join(root, d))).includes('package.json') ? d : undefined)),
  );
  return withManifest.filter((d): d is string => d !== undefined).sort();
}

/**
 * Copies what `changeset version` reads into `dest`: the root manifest, pnpm-workspace.yaml, `.changeset/`,
 * and each workspace package's package.json (and CHANGELOG.md if it has one).
 */
export async function copyReleaseInputs(root: string, dest: string): Promise<string[]> {
  for (const file of ['package.json', 'pnpm-workspace.yaml']) await cp(join(root, file), join(dest, file));
  await cp(join(root, '.changeset'), join(dest, '.changeset'), { recursive: true });
  const dirs = await listWorkspaceDirs(root);
  for (const dir of dirs) {
    await mkdir(join(dest, dir), { recursive: true });
    for (const file of ['package.json', 'CHANGELOG.md']) {
      await cp(join(root, dir, file), join(dest, dir, file)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
  }
  return dirs;
}
