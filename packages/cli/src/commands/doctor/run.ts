import { diagnose } from '@aps-auth/core/node';
import { loadCliConfig } from '../../context.js';
import { ExitCode } from '../../exit-codes.js';
import type { CommandResult, RunDeps } from '../../io.js';
import { formatRows, writeJson } from '../../output.js';
import type { DoctorOptions } from './parse.js';

const MARKS: Record<string, string> = { pass: '✓', warn: '!', fail: '✗', skip: '-' };

export async function run(options: DoctorOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  // A corrupt profile file is a failed `config` check (naming the file and the next step), not a crash.
  const config = await loadCliConfig(
    io,
    { profile: options.profile, callbackUrl: options.callbackUrl },
    { corruptProfile: 'report' },
  );
  const report = await diagnose(config, {
    signal: deps.signal,
    ...(deps.now === undefined ? {} : { now: deps.now }),
  });
  if (options.format === 'json') {
    writeJson(io, { ok: report.ok, profile: config.profile, checks: report.checks });
  } else if (options.format === 'table') {
    io.stdout.write(
      formatRows(
        'table',
        ['', 'CHECK', 'RESULT'],
        report.checks.map((check) => [MARKS[check.status] ?? '?', check.id, check.message]),
      ),
    );
  } else {
    io.stdout.write(
      formatRows(
        'tsv',
        [],
        report.checks.map((check) => [check.status, check.id, check.message]),
      ),
    );
  }
  if (!report.ok) {
    io.stderr.write('aps-auth: doctor found a problem; see the failed checks above.\n');
    return ExitCode.ERROR;
  }
  return ExitCode.OK;
}
