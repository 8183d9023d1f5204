/**
 * `npm run bench`'s one table (scripts/bench-all.mjs), on fixed inputs: each bench's result becomes its rows,
 * and the table carries the date, the machine and each figure with its target. The benchmarks themselves are
 * not run here (they are not tests).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './workspace.js';

interface Row {
  benchmark: string;
  figure: string;
  target: string;
}
type Rows = (input: never) => Row[];
interface BenchAll {
  formatBenchTable(input: {
    date: Date;
    machine: { cores: number; cpu?: string; node: string };
    rows: Row[];
  }): string;
  rowsFromCoreSize: Rows;
  rowsFromCliStartup: Rows;
  rowsFromTui: Rows;
  rowsFromContention: Rows;
  rowsFromWebThroughput(text: string): Row[];
  rowsFromWebRedis(text: string): Row[];
}

let bench: BenchAll;
beforeAll(async () => {
  bench = (await import(pathToFileURL(join(ROOT, 'scripts', 'bench-all.mjs')).href)) as BenchAll;
});

describe('npm run bench: the table', () => {
  it('has the date, the machine, and one aligned row per figure with its target', () => {
    const table = bench.formatBenchTable({
      date: new Date('2026-12-04T09:10:00Z'),
      machine: { cores: 2, cpu: 'Test CPU', node: 'v24.21.0' },
      rows: [
        { benchmark: 'a', figure: '1.00x', target: '<= 1.2x' },
        { benchmark: 'longer name', figure: '2', target: '' },
      ],
    });
    expect(table.split('\n')).toEqual([
      'aps-auth benchmarks, 2026-12-04 09:10 UTC',
      'machine: 2 cores (Test CPU), Node v24.21.0',
      '',
      '| benchmark   | result | target  |',
      '|-------------|--------|---------|',
      '| a           | 1.00x  | <= 1.2x |',
      '| longer name | 2      | –       |',
      '',
    ]);
  });

  it("core's size against its peers, and its budget", () => {
    const rows = bench.rowsFromCoreSize({
      rows: [
        { name: '@aps-auth/core (the job)', version: '0.1.0', platform: 'browser', min: 50000, gzip: 10240 },
        { name: 'peer (the job)', version: '3.0.0', platform: 'node', min: 9000, gzip: 5120 },
      ],
      entry: { gzip: 21355, ownGzip: 13222, kyGzip: 8133, kyVersion: '2.1.0' },
      budget: 23500,
    } as never);
    expect(rows).toEqual([
      {
        benchmark: 'size: @aps-auth/core (the job) 0.1.0 (min+gzip)',
        figure: "10.0 kB (1.00x core's)",
        target: '',
      },
      {
        benchmark: 'size: peer (the job) 3.0.0 (min+gzip, node)',
        figure: "5.0 kB (0.50x core's)",
        target: '',
      },
      {
        benchmark: `size budget: core's "." entry with its dependencies (own code + ky 2.1.0)`,
        figure: '21355 B (13222 + 8133)',
        target: '<= 23500 B',
      },
    ]);
  });

  it('start-up ratios to node -e 0 (the baseline row left out), the TUI and refresh contention', () => {
    const cli = bench.rowsFromCliStartup({
      baselineMs: 40,
      rows: [
        { name: 'node -e 0', medianMs: 40, ratio: 1, target: null },
        { name: 'aps-auth token (valid cached token)', medianMs: 44, ratio: 1.1, target: '<= 1.2x' },
      ],
    } as never);
    expect(cli).toEqual([
      {
        benchmark: 'start: aps-auth token (valid cached token)',
        figure: '1.10x node -e 0 (44.0 ms vs 40.0 ms)',
        target: '<= 1.2x',
      },
    ]);
    expect(
      bench.rowsFromTui({ baselineMs: 25, firstFrameMs: 70, ratio: 2.8, target: '<= 3x' } as never)[0],
    ).toMatchObject({
      figure: "2.80x node's first output (70.0 ms vs 25.0 ms)",
      target: '<= 3x',
    });
    expect(
      bench.rowsFromContention({ processes: 8, refreshes: 1, distinctTokens: 1, target: 1 } as never)[0],
    ).toEqual({
      benchmark: 'refresh contention: 8 concurrent aps-auth token on an expired token',
      figure: '1 refresh at the emulator, 1 token printed',
      target: 'exactly 1',
    });
  });

  it('web throughput from the printed rounds of the memory and Redis benches', () => {
    const memory = bench.rowsFromWebThroughput(
      'round 1: bare 9000 req/s, /api/auth/token 6000 req/s, ratio 0.67\n' +
        'round 2: bare 9000 req/s, /api/auth/token 6300 req/s, ratio 0.70\n' +
        'round 3: bare 9000 req/s, /api/auth/token 5800 req/s, ratio 0.64\n',
    );
    expect(memory[0]).toMatchObject({ figure: '6000 req/s, 0.64–0.70x bare', target: '>= 0.6x' });
    expect(memory).toHaveLength(1);
    const withFloor = bench.rowsFromWebThroughput(
      'round 1: bare 9000 req/s, /api/auth/token 6000 req/s, ratio 0.67; floor (the same bytes from a bare app) 8000 req/s, 0.89 of bare, token/floor 0.75\n' +
        'round 2: bare 9000 req/s, /api/auth/token 6300 req/s, ratio 0.70; floor (the same bytes from a bare app) 8400 req/s, 0.93 of bare, token/floor 0.75\n',
    );
    expect(withFloor[0]).toMatchObject({ figure: '6150 req/s, 0.67–0.70x bare' });
    expect(withFloor[1]).toMatchObject({ figure: '8200 req/s, 0.89–0.93x bare (token: 0.75–0.75x this)' });
    const redis = bench.rowsFromWebRedis(
      'round 1: memory sessions 6000 req/s, Redis sessions 3000 req/s, ratio 0.50\n' +
        'round 2: memory sessions 6000 req/s, Redis sessions 3300 req/s, ratio 0.55\n',
    );
    expect(redis[0]).toMatchObject({ figure: '3150 req/s, 0.50–0.55x memory' });
    expect(() => bench.rowsFromWebRedis('nothing')).toThrow('printed no round');
  });
});
