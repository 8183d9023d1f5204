/**
 * core's size budget (bench/core-size.mjs): its whole "." entry bundled with its dependencies, min+gzip, stays
 * within CORE_GZIP_BUDGET; the verdict splits the figure into core's own code and ky's share.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './workspace.js';

interface Measure {
  min: number;
  gzip: number;
  ownMin: number;
  ownGzip: number;
  kyMin: number;
  kyGzip: number;
  kyVersion: string;
}

interface SizeBench {
  CORE_GZIP_BUDGET: number;
  measureCoreEntry(): Promise<Measure>;
  checkCoreBudget(measure: Measure, budget?: number): { ok: boolean; message: string };
}

let bench: SizeBench;
let measure: Measure;

beforeAll(async () => {
  bench = (await import(pathToFileURL(join(ROOT, 'bench', 'core-size.mjs')).href)) as SizeBench;
  measure = await bench.measureCoreEntry();
  process.stdout.write(`${bench.checkCoreBudget(measure).message}\n`);
});

describe("core's size budget", () => {
  it('the "." entry with its dependencies is within the budget (min+gzip)', () => {
    const verdict = bench.checkCoreBudget(measure);
    expect(verdict.ok, verdict.message).toBe(true);
  });

  it("splits the figure into core's own code and ky's share", () => {
    expect(measure.ownGzip).toBeGreaterThan(0);
    expect(measure.kyGzip).toBeGreaterThan(0);
    expect(measure.ownGzip + measure.kyGzip).toBe(measure.gzip);
    expect(measure.ownMin + measure.kyMin).toBe(measure.min);
    expect(bench.checkCoreBudget(measure).message).toMatch(
      new RegExp(
        `core's own code ${measure.ownGzip} \\(\\d+%\\), ky ${measure.kyVersion} ${measure.kyGzip} \\(\\d+%\\)`,
      ),
    );
  });

  it('fails past the budget, saying by how much and what to do', () => {
    const verdict = bench.checkCoreBudget(measure, measure.gzip - 1);
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toContain('over the budget by 1 bytes');
    expect(verdict.message).toContain('raise CORE_GZIP_BUDGET in bench/core-size.mjs on purpose');
  });
});
