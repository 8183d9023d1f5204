import type { FieldProblem, SetupFieldName } from './session.js';

/**
 * Through the relay (`relay` given) nothing listens on the callback URL (it is only kept in the profile): the
 * note that it would need the manual mode does not apply, so it is dropped; its errors still count.
 */
export function withoutListenerNote(
  problems: Partial<Record<SetupFieldName, FieldProblem>>,
  relay: string | undefined,
): Partial<Record<SetupFieldName, FieldProblem>> {
  if (relay === undefined || problems.callbackUrl?.severity !== 'note') return problems;
  const { callbackUrl: _note, ...rest } = problems;
  return rest;
}
