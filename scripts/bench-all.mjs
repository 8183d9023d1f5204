#!/usr/bin/env node
// Every benchmark of bench/ (and the web app's token throughput in apps/web/bench), one after the other, then
// ONE table: the date, the machine, and each figure with its target. Benchmarks are not tests: CI does not run
// this (packaging-check tests only the table's formatting, on fixed inputs).
//
//   npm run bench                       (builds what the benches need, then runs this on the workspace's Node 24)
//   npm run bench -- --runs 10          (--runs goes to the start-up benches; BENCH_SECONDS, BENCH_ROUNDS to
//                                        the web benches)
// A bench that fails or cannot run here (no redis-server, no web bench) gets a row that says so; the others
// still run.
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runNode } from '../bench/run-node.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const x = (ratio) => `${ratio.toFixed(2)}x`;
const ms = (value) => `${value.toFixed(1)} ms`;

/** The rows of bench/core-size.mjs --json: each bundle against core's, and core's budget. */
export function rowsFromCoreSize(json) {
  const base = json.rows[0];
  const rows = json.rows.map((r) => ({
    benchmark: `size: ${r.name} ${r.version} (min+gzip${r.platform === 'browser' ? '' : `, ${r.platform}`})`,
    figure: `${kb(r.gzip)} (${x(r.gzip / base.gzip)} core's)`,
    target: '',
  }));
  rows.push({
    benchmark: `size budget: core's "." entry with its dependencies (own code + ky ${json.entry.kyVersion})`,
    figure: `${json.entry.gzip} B (${json.entry.ownGzip} + ${json.entry.kyGzip})`,
    target: `<= ${json.budget} B`,
  });
  return rows;
}

/** The rows of bench/cli-startup.mjs --json: every command but the baseline, as ratios to `node -e 0`. */
export function rowsFromCliStartup(json) {
  return json.rows
    .filter((r) => r.name !== 'node -e 0')
    .map((r) => ({
      benchmark: `start: ${r.name}`,
      figure: `${x(r.ratio)} node -e 0 (${ms(r.medianMs)} vs ${ms(json.baselineMs)})`,
      target: r.target ?? '',
    }));
}

/** The row of bench/tui-first-frame.mjs --json. */
export function rowsFromTui(json) {
  return [
    {
      benchmark: 'start: aps-auth-tui, first frame in a pseudo-terminal',
      figure: `${x(json.ratio)} node's first output (${ms(json.firstFrameMs)} vs ${ms(json.baselineMs)})`,
      target: json.target,
    },
  ];
}

/** The row of bench/refresh-contention.mjs --json. */
export function rowsFromContention(json) {
  return [
    {
      benchmark: `refresh contention: ${json.processes} concurrent aps-auth token on an expired token`,
      figure: `${json.refreshes} refresh${json.refreshes === 1 ? '' : 'es'} at the emulator, ${json.distinctTokens} token${json.distinctTokens === 1 ? '' : 's'} printed`,
      target: 'exactly 1',
    },
  ];
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const range = (values) => `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;

/** The row of apps/web/bench/token-throughput.mjs, from its printed rounds (it has no JSON mode). */
export function rowsFromWebThroughput(text) {
  const rounds = [
    ...text.matchAll(/round \d+: bare (\d+) req\/s, \/api\/auth\/token (\d+) req\/s, ratio ([\d.]+)/g),
  ];
  if (rounds.length === 0) throw new Error('the web throughput bench printed no round');
  const floors = [
    ...text.matchAll(
      /floor \(the same bytes from a bare app\) (\d+) req\/s, ([\d.]+) of bare, token\/floor ([\d.]+)/g,
    ),
  ];
  return [
    {
      benchmark: 'web: GET /api/auth/token, memory sessions, vs a bare Hono hello-world',
      figure: `${Math.round(median(rounds.map((r) => Number(r[2]))))} req/s, ${range(rounds.map((r) => Number(r[3])))}x bare`,
      target: '>= 0.6x',
    },
    ...(floors.length === 0
      ? []
      : [
          {
            benchmark: "web: floor: a bare Hono app answering the token route's very bytes, vs hello-world",
            figure: `${Math.round(median(floors.map((r) => Number(r[1]))))} req/s, ${range(floors.map((r) => Number(r[2])))}x bare (token: ${range(floors.map((r) => Number(r[3])))}x this)`,
            target: '–',
          },
        ]),
  ];
}

/** The row of bench/web-*redis*.mjs, from its printed rounds. */
export function rowsFromWebRedis(text) {
  const rounds = [
    ...text.matchAll(/memory sessions (\d+) req\/s, Redis sessions (\d+) req\/s, ratio ([\d.]+)/g),
  ];
  if (rounds.length === 0) throw new Error('the web Redis bench printed no round');
  return [
    {
      benchmark: 'web: GET /api/auth/token, Redis sessions, vs memory sessions',
      figure: `${Math.round(median(rounds.map((r) => Number(r[2]))))} req/s, ${range(rounds.map((r) => Number(r[3])))}x memory`,
      target: '',
    },
  ];
}

/** The one table: a heading with the date and the machine, then a Markdown table of every row. */
export function formatBenchTable({ date, machine, rows }) {
  const header = ['benchmark', 'result', 'target'];
  const cells = rows.map((r) => [r.benchmark, r.figure, r.target === '' ? '–' : r.target]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (row) => `| ${row.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [
    `aps-auth benchmarks, ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `machine: ${machine.cores} cores${machine.cpu ? ` (${machine.cpu})` : ''}, Node ${machine.node}`,
    '',
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.map(line),
    '',
  ].join('\n');
}

/** Runs one bench on this Node; resolves with its stdout, rejects with its exit code and last stderr line. */
async function runBench(args, options = {}) {
  process.stderr.write(`[bench] ${args.map((a) => a.replace(`${root}/`, '')).join(' ')}\n`);
  const { code, stdout, stderr } = await runNode(args, { cwd: root, ...options });
  if (code === 0) return stdout;
  const last = stderr.trim().split('\n').at(-1) ?? '';
  throw new Error(`exit ${code}${last ? `: ${last.slice(0, 160)}` : ''}`);
}

const lastJson = (stdout) => JSON.parse(stdout.trim().split('\n').at(-1));
const commandExists = (name) =>
  (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, name)));

/** The benches to run: a label, and how to get its rows (or why it cannot run here). */
function listBenches(runs) {
  const bench = (file) => join(root, 'bench', file);
  const runsArgs = runs === undefined ? [] : ['--runs', String(runs)];
  const webBench = join(root, 'apps', 'web', 'bench', 'token-throughput.mjs');
  const redisBench = existsSync(join(root, 'bench'))
    ? readdirSync(join(root, 'bench')).find((f) => /^web.*redis.*\.mjs$/.test(f))
    : undefined;
  return [
    {
      label: 'size: core and its peers',
      rows: async () => rowsFromCoreSize(lastJson(await runBench([bench('core-size.mjs'), '--json']))),
    },
    {
      label: 'start: aps-auth token and login',
      rows: async () =>
        rowsFromCliStartup(lastJson(await runBench([bench('cli-startup.mjs'), ...runsArgs, '--json']))),
    },
    {
      label: 'start: aps-auth-tui first frame',
      rows: async () =>
        rowsFromTui(lastJson(await runBench([bench('tui-first-frame.mjs'), ...runsArgs, '--json']))),
    },
    {
      label: 'web: token throughput, memory sessions',
      skip: existsSync(webBench) ? undefined : 'no apps/web/bench/token-throughput.mjs',
      rows: async () => rowsFromWebThroughput(await runBench([webBench], { cwd: join(root, 'apps', 'web') })),
    },
    {
      label: 'web: token throughput, Redis sessions',
      skip:
        redisBench === undefined
          ? 'no bench/web-*redis*.mjs'
          : commandExists('redis-server')
            ? undefined
            : 'redis-server is not on PATH',
      rows: async () => rowsFromWebRedis(await runBench([bench(redisBench)])),
    },
    {
      label: 'refresh contention',
      rows: async () =>
        rowsFromContention(lastJson(await runBench([bench('refresh-contention.mjs'), '--json']))),
    },
  ];
}

async function main() {
  const runsAt = process.argv.indexOf('--runs');
  const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : undefined;
  const rows = [];
  let failed = false;
  for (const b of listBenches(runs)) {
    if (b.skip !== undefined) {
      rows.push({ benchmark: b.label, figure: `not run: ${b.skip}`, target: '' });
      continue;
    }
    try {
      rows.push(...(await b.rows()));
    } catch (error) {
      failed = true;
      rows.push({ benchmark: b.label, figure: `failed: ${error.message}`, target: '' });
    }
  }
  const machine = { cores: availableParallelism(), cpu: cpus()[0]?.model.trim(), node: process.version };
  process.stdout.write(formatBenchTable({ date: new Date(), machine, rows }));
  if (failed) process.exitCode = 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
