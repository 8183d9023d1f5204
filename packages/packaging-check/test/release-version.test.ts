/**
 * The release's first step as a dry run: `changeset version` on a copy of the workspace's manifests and
 * `.changeset/` in a temporary directory, with the repository's real pending changesets plus a sample one,
 * gives the versions the pending bumps call for and a CHANGELOG.md with each changeset's text; the real
 * repository is left as it was.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bumpVersion,
  type Changeset,
  copyReleaseInputs,
  expectVersions,
  parseChangeset,
  readChangesets,
} from './changesets.js';
import { childEnv, run } from './project.js';
import { type Manifest, ROOT } from './workspace.js';

const SAMPLE_FILE = 'release-check-sample.md';
const SAMPLE_TEXT = 'Sample change written by the release check (never committed).';

interface Versioned {
  dir: string;
  before: Manifest[];
  after: Map<string, { manifest: Manifest; changelog: string | undefined }>;
  changesets: Changeset[];
  leftOver: string[];
}

/** Copies the release inputs, adds `extra` changesets (and drops the real ones unless `keepReal`), versions. */
async function versionCopy(extra: Record<string, string>, keepReal: boolean): Promise<Versioned> {
  const dir = await mkdtemp(join(tmpdir(), 'aps-auth-release-check-'));
  const dirs = await copyReleaseInputs(ROOT, dir);
  const changesetDir = join(dir, '.changeset');
  if (!keepReal) {
    for (const f of (await readChangesets(changesetDir)).map((c) => c.file)) await rm(join(changesetDir, f));
  }
  for (const [file, text] of Object.entries(extra)) await writeFile(join(changesetDir, file), text);
  const changesets = await readChangesets(changesetDir);
  const readManifest = async (d: string) =>
    JSON.parse(await readFile(join(dir, d, 'package.json'), 'utf8')) as Manifest;
  const before = await Promise.all(dirs.map(readManifest));
  const changeset = join(ROOT, 'node_modules', '.bin', 'changeset');
  const result = await run(changeset, ['version'], dir, childEnv);
  if (result.code !== 0) throw new Error(`changeset version failed: ${result.stdout}${result.stderr}`);
  const after = new Map<string, { manifest: Manifest; changelog: string | undefined }>();
  for (const d of dirs) {
    const manifest = await readManifest(d);
    const changelog = await readFile(join(dir, d, 'CHANGELOG.md'), 'utf8').catch(() => undefined);
    after.set(manifest.name, { manifest, changelog });
  }
  const leftOver = (await readdir(changesetDir)).filter((f) => f.endsWith('.md') && f !== 'README.md');
  return { dir, before, after, changesets, leftOver };
}

/** A fingerprint of what `changeset version` would write in the real repository. */
async function fingerprintRepository(): Promise<string> {
  const hash = createHash('sha256');
  const scratch = await mkdtemp(join(tmpdir(), 'aps-auth-release-fingerprint-'));
  try {
    for (const d of await copyReleaseInputs(ROOT, scratch)) {
      for (const f of ['package.json', 'CHANGELOG.md']) {
        hash.update(`${d}/${f}:`);
        hash.update(await readFile(join(ROOT, d, f)).catch(() => Buffer.from('absent')));
      }
    }
    for (const f of (await readdir(join(ROOT, '.changeset'))).sort()) {
      hash.update(`.changeset/${f}:`);
      hash.update(await readFile(join(ROOT, '.changeset', f)));
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return hash.digest('hex');
}

const sample = (name: string, bump: string) => `---\n"${name}": ${bump}\n---\n\n${SAMPLE_TEXT}\n`;
let fingerprint: string;
let withPending: Versioned;
let sampleAlone: Versioned;

beforeAll(async () => {
  fingerprint = await fingerprintRepository();
  withPending = await versionCopy({ [SAMPLE_FILE]: sample('@aps-auth/core', 'minor') }, true);
  sampleAlone = await versionCopy({ [SAMPLE_FILE]: sample('@aps-auth/core', 'patch') }, false);
});

afterAll(async () => {
  for (const v of [withPending, sampleAlone]) if (v) await rm(v.dir, { recursive: true, force: true });
});

function checkVersions(v: Versioned): void {
  const expected = expectVersions(v.before, v.changesets);
  const actual = new Map([...v.after].map(([name, { manifest }]) => [name, manifest.version]));
  expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
}

describe('changeset version (a dry run on a copy of the workspace)', () => {
  it('the expected versions follow the documented rules (a check of the check)', () => {
    const m = (name: string, deps: Record<string, string> = {}, isPrivate = false): Manifest => ({
      name,
      version: '0.0.0',
      dependencies: deps,
      ...(isPrivate ? { private: true } : {}),
    });
    const manifests = [m('a'), m('b', { a: 'workspace:*' }), m('c', { b: 'workspace:*' }), m('p', {}, true)];
    const changesets = [
      parseChangeset('1.md', '---\n"a": patch\n"p": minor\n---\n\nx'),
      parseChangeset('2.md', "---\n'a': minor\n---\n\ny"),
    ];
    expect(Object.fromEntries(expectVersions(manifests, changesets))).toEqual({
      a: '0.1.0',
      b: '0.0.1',
      c: '0.0.1',
      p: '0.0.0',
    });
  });

  it('with the pending changesets and a sample one: each package at its highest pending bump', () => {
    expect(withPending.changesets.map((c) => c.file)).toContain(SAMPLE_FILE);
    checkVersions(withPending);
  });

  it('private packages are not versioned and get no changelog', () => {
    for (const { manifest, changelog } of withPending.after.values()) {
      if (manifest.private !== true) continue;
      const before = withPending.before.find((m) => m.name === manifest.name);
      expect(manifest.version, manifest.name).toBe(before?.version);
      expect(changelog, manifest.name).toBeUndefined();
    }
  });

  it("each bumped package's CHANGELOG.md has its version and the text of each of its changesets", () => {
    for (const changeset of withPending.changesets) {
      const firstLine = changeset.summary.split('\n')[0] as string;
      for (const name of Object.keys(changeset.bumps)) {
        const entry = withPending.after.get(name);
        if (entry === undefined || entry.manifest.private === true) continue;
        expect(entry.changelog, `${name} from ${changeset.file}`).toContain(firstLine);
        expect(entry.changelog).toContain(`## ${entry.manifest.version}`);
      }
    }
    expect(withPending.after.get('@aps-auth/core')?.changelog).toContain(SAMPLE_TEXT);
  });

  it('consumes every changeset it applied', () => {
    expect(withPending.leftOver).toEqual([]);
  });

  it('the sample alone: its package gets its bump, internal dependents a patch (updateInternalDependencies)', async () => {
    const config = JSON.parse(await readFile(join(ROOT, '.changeset', 'config.json'), 'utf8'));
    expect(config.updateInternalDependencies).toBe('patch');
    checkVersions(sampleAlone);
    const bumped = (name: string) =>
      bumpVersion(sampleAlone.before.find((m) => m.name === name)?.version ?? '', 'patch');
    expect(sampleAlone.after.get('@aps-auth/core')?.manifest.version).toBe(bumped('@aps-auth/core'));
    const dependents = [...sampleAlone.after.values()].filter(
      ({ manifest }) => manifest.private !== true && manifest.dependencies?.['@aps-auth/core'] !== undefined,
    );
    expect(dependents.length).toBeGreaterThan(0);
    for (const { manifest, changelog } of dependents) {
      expect(manifest.version, manifest.name).toBe(bumped(manifest.name));
      expect(changelog).toContain(`@aps-auth/core@${bumped('@aps-auth/core')}`);
    }
  });

  it('leaves the real repository as it was', async () => {
    expect(await fingerprintRepository()).toBe(fingerprint);
  });
});
