import type { Io } from './io.js';
import { escapeJsonText, toCell } from './terminal-text.js';

/** Every JSON document the CLI prints carries this version; it changes only when a field changes meaning. */
export const SCHEMA_VERSION = 1;

/** One JSON document; characters a terminal may act on are `\uXXXX` escapes in it (the same value). */
export function writeJson(io: Io, document: Record<string, unknown>): void {
  io.stdout.write(
    `${escapeJsonText(JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...document }, null, 2))}\n`,
  );
}

/**
 * Prints an access token (what `token` and `two-legged` exist for): the bare token and a newline, or with
 * `json` one document with its type, expiry and scopes (and the profile, when there is one).
 */
export function writeAccessToken(
  io: Io,
  token: { accessToken: string; tokenType: string; expiresAt: number; scopes: readonly string[] },
  options: { json: boolean; now: number; profile?: string },
): void {
  if (!options.json) {
    io.stdout.write(`${token.accessToken}\n`);
    return;
  }
  writeJson(io, {
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    accessToken: token.accessToken,
    tokenType: token.tokenType,
    expiresAt: isoTime(token.expiresAt),
    expiresIn: secondsUntil(token.expiresAt, options.now),
    scopes: token.scopes,
  });
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Whole seconds from `now` until `ms` (negative once past). */
export function secondsUntil(ms: number, now: number): number {
  return Math.floor((ms - now) / 1000);
}

/** `1h 2m`, `59m 59s`, `5s`; `expired 3m ago` style callers add the words. */
export function formatDuration(seconds: number): string {
  const s = Math.abs(Math.trunc(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return rest > 0 ? `${m}m ${rest}s` : `${m}m`;
  return `${rest}s`;
}

export function describeExpiry(expiresAt: number, now: number): string {
  const left = secondsUntil(expiresAt, now);
  return left > 0
    ? `${isoTime(expiresAt)} (in ${formatDuration(left)})`
    : `${isoTime(expiresAt)} (expired ${formatDuration(-left)} ago)`;
}

/**
 * Rows for people (`table`: a header and aligned columns) or for scripts (`tsv`: no header, tab-separated,
 * one record a line). Every cell is stripped of terminal controls; a tab or line break in it is a space.
 */
export function formatRows(
  format: 'table' | 'tsv',
  header: readonly string[],
  cells: readonly string[][],
): string {
  const rows = cells.map((row) => row.map(toCell));
  if (format === 'tsv') return rows.map((row) => `${row.join('\t')}\n`).join('');
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** Key/value lines: aligned on a terminal, `key<TAB>value` otherwise; values as `formatRows`'s cells. */
export function formatFields(
  format: 'table' | 'tsv',
  entries: ReadonlyArray<readonly [string, string]>,
): string {
  const fields = entries.map(([key, value]) => [key, toCell(value)] as const);
  if (format === 'tsv') return fields.map(([k, v]) => `${k}\t${v}\n`).join('');
  const width = Math.max(...fields.map(([k]) => k.length)) + 1;
  return fields.map(([k, v]) => `${`${k}:`.padEnd(width)} ${v}\n`).join('');
}
