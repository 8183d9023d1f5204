import type { ResolvedConfig } from '../../config.js';
import { AbortedError } from '../../errors/aborted-error.js';
import { checkCallback } from '../../parse-callback.js';
import type { LoginRefusalCode } from './events.js';
import { refusalMessage } from './refusals.js';

export interface ManualInput {
  readLine(signal?: AbortSignal): Promise<string | undefined | null>;
}

/** A pasted line that carries none of the parameters of a redirect (`code`, `state`, `error`). */
function isNoRedirect(line: string): boolean {
  return !/(?:^|[?&#])(?:code|state|error)=/.test(line);
}

/**
 * Manual mode: reads pasted lines until one answers this sign-in (state checked first), and returns its code.
 * A refused line is told (`onRefused`) and the next one read; the end of the input is an `AbortedError`.
 */
export async function readPastedCode(
  config: ResolvedConfig,
  manual: ManualInput,
  state: string,
  signal: AbortSignal,
  onRefused: (code: LoginRefusalCode, message: string) => void,
): Promise<string> {
  let last: string | undefined;
  while (!signal.aborted) {
    const line = await manual.readLine(signal);
    if (line === undefined || line === null) {
      // The end of the input is a cancellation (nothing more can be pasted), whatever was refused before.
      throw new AbortedError(
        undefined,
        last === undefined
          ? 'The input ended before the redirected URL was pasted.'
          : `The input ended before the redirected URL was pasted; the last line was refused: ${last.replace(/ Still waiting[^.]*\.$/, '')}`,
      );
    }
    const text = line.trim();
    if (text === '') continue;
    const check = isNoRedirect(text) ? undefined : checkCallback(config, text, { state });
    if (check?.kind === 'code') return check.result.code;
    if (check?.kind === 'error') throw check.error;
    const code = check?.reason ?? 'NO_PARAMETERS';
    last = refusalMessage(code, 'manual');
    onRefused(code, last);
  }
  throw new AbortedError(undefined, 'The sign-in was aborted.');
}
