import { isConfigurationError } from '@aps-auth/core';
import {
  type DiagnosticCheck,
  type DiagnosticReport,
  diagnose,
  type LoadedConfig,
} from '@aps-auth/core/node';
import { openCliProfile } from '../../context.js';
import { ExitCode } from '../../exit-codes.js';
import type { CommandResult, RunDeps } from '../../io.js';
import { formatRows, writeJson } from '../../output.js';
import type { DoctorOptions } from './parse.js';

const MARKS: Record<string, string> = { pass: '✓', warn: '!', fail: '✗', skip: '-' };

export async function run(options: DoctorOptions, deps: RunDeps): Promise<CommandResult> {
  const { io } = deps;
  // A corrupt profile file is a failed `config` check (naming the file and the next step), not a crash.
  let config: LoadedConfig | undefined;
  let refused: DiagnosticReport | undefined;
  try {
    ({ config } = await openCliProfile(
      io,
      deps,
      { profile: options.profile, callbackUrl: options.callbackUrl },
      { corruptProfile: 'report' },
    ));
  } catch (error) {
    // An invalid profile name (from APS_AUTH_PROFILE, in the environment or a .env): still a report, the
    // `config` check failed with where the name came from, the others skipped.
    if (!isConfigurationError(error) || error.field !== 'profile') throw error;
    const skipped = (id: DiagnosticCheck['id']): DiagnosticCheck => ({
      id,
      status: 'skip',
      message: 'Skipped: the profile name is invalid.',
    });
    refused = {
      ok: false,
      checks: [
        { id: 'config', status: 'fail', message: error.message },
        ...(['callback-url', 'port', 'server', 'clock', 'callback-registered', 'token-file'] as const).map(
          skipped,
        ),
      ],
    };
  }
  const report =
    refused ??
    (await diagnose(config as NonNullable<typeof config>, {
      signal: deps.signal,
      ...(deps.now === undefined ? {} : { now: deps.now }),
    }));
  if (options.format === 'json') {
    writeJson(io, { ok: report.ok, profile: config?.profile ?? null, checks: report.checks });
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
